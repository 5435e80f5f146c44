"""The deposit form: one zip, or several CSV files of the interchange format, into one of the team's territories."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.interchange.reader import FILES, STANDALONE_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks of names and sizes are the service's (interchange.uploads)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else single(None, initial)
        return [single(data, initial)]


class ImportForm(forms.Form):
    territory = forms.ModelChoiceField(label=_("Territoire"), queryset=None, empty_label=None)
    files = MultipleFileField(
        label=_("Fichiers"), allow_empty_file=True,
        error_messages={"required": _("Choisissez une archive zip ou les fichiers CSV du jeu de données.")},
        help_text=_("Une archive zip, ou les fichiers CSV eux-mêmes (sélection multiple) : %(files)s. "
                    "participants.csv et pathways.csv sont obligatoires, sauf dans un jeu qui contient l'un de ces "
                    "fichiers : %(standalone)s.") % {"files": ", ".join(FILES),
                                                    "standalone": ", ".join(STANDALONE_FILES)})

    def __init__(self, *args, territories, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["files"].widget.attrs["accept"] = ".zip,.csv,application/zip,text/csv"
        # Nothing to choose for a team of one territory (the usual case): no field, that territory.
        self.only_territory = territories[0] if len(territories) == 1 else None
        if self.only_territory is not None:
            del self.fields["territory"]

    def target_territory(self):
        return self.only_territory or self.cleaned_data["territory"]
