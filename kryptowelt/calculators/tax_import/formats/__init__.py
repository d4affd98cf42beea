"""One module per export format; each registers itself with `registry.register`.

Importing this package imports every module in it, so a new format is a new module here
and nothing else (its tests aside)."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
