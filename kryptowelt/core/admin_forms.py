"""The editors' form for every page of ours (BasePage.base_form_class), and the admin login form.

Wagtail lets a draft be saved before its required fields are filled ("deferred validation":
saving a draft, and every autosave, skips the required checks; publishing and submitting
for review run them). Text fields, StreamFields and an inline panel's minimum take part by
themselves. Not an inline row whose only field is a chooser (an author, a pinned article): the
row an inline panel shows from the start, or one the editor added, fails as "required" while
it is still empty, so a new article could not be saved until an author was chosen. Here such
a row, left empty in a draft, is simply not stored; publishing checks it as before."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass

# Fields every inline row carries for the formset's own bookkeeping; the inline panel's script
# fills in ORDER for every new row, so they do not tell whether the editor entered anything.
ROW_BOOKKEEPING_FIELDS = frozenset({"ORDER", "DELETE", "id"})


class DraftRowForm(WagtailAdminModelForm):
    """A row of an inline panel: skipped in a draft while the editor has entered nothing."""

    def defer_required_fields(self):
        super().defer_required_fields()
        self._empty_permitted_before = self.empty_permitted
        if self.instance.pk is None:
            self.empty_permitted = True

    def restore_required_fields(self):
        if self.is_deferred_validation:
            self.empty_permitted = self._empty_permitted_before
        super().restore_required_fields()

    def has_changed(self):
        if self.is_deferred_validation:
            return any(name not in ROW_BOOKKEEPING_FIELDS for name in self.changed_data)
        return super().has_changed()

    def full_clean(self):
        super().full_clean()
        # A skipped row has no cleaned data, but Wagtail's inline panel sorts its rows by
        # ORDER when it shows the form again (after another field's error).
        if self.is_bound and "ORDER" in self.fields and "ORDER" not in self.cleaned_data:
            try:
                self.cleaned_data["ORDER"] = self.fields["ORDER"].clean(self["ORDER"].value())
            except ValidationError:
                self.cleaned_data["ORDER"] = None


class DraftFriendlyFormMetaclass(WagtailAdminModelFormMetaclass):
    @classmethod
    def child_form(cls):
        # The base class of the inline panels' row forms (modelcluster's ClusterForm asks the
        # metaclass); inline panels with deferred text fields bring their own and need none.
        return DraftRowForm


class DraftFriendlyPageForm(WagtailAdminPageForm, metaclass=DraftFriendlyFormMetaclass):
    """The page form with drafts that save as they are. `minimum_messages` replaces Django's
    "Bitte mindestens 1 Formular abschicken" of an inline panel with a minimum (its
    relation name → a German sentence)."""

    minimum_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.minimum_messages.items():
            if name in self.formsets:
                self.formsets[name].error_messages["too_few_forms"] = message


class LoginForm(WagtailLoginForm):
    """The admin login (WAGTAILADMIN_USER_LOGIN_FORM). Wagtail redefines the password field
    without a label, so Django falls back to the field's name, "Password", in English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Passwort"
