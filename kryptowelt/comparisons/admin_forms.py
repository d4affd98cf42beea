"""The editors' form for providers: checks what spans several figures."""

from wagtail.admin.forms import WagtailAdminModelForm


class ProviderAdminForm(WagtailAdminModelForm):
    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("figures")
        if formset is None or not formset.is_valid():
            return valid
        return self._figures_unique(formset) and valid

    def _figures_unique(self, formset) -> bool:
        """Each figure (per coin) may appear once, so readers never see two contradicting values."""
        seen = set()
        unique = True
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("key") or data.get("DELETE"):
                continue
            key, coin = data["key"], data.get("coin") or ""
            if (key, coin) in seen:
                label = dict(form.fields["key"].choices).get(key, key)
                suffix = f" für {coin}" if coin else ""
                form.add_error("key", f"„{label}“{suffix} ist schon einmal eingetragen.")
                unique = False
            seen.add((key, coin))
        return unique
