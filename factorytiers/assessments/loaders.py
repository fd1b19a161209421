"""Loading a maturity model file into the database as an edition (migration and command)."""

from pathlib import Path

from factorytiers.domain.maturity import DEFAULT_MODEL_PATH, load_model
from factorytiers.domain.maturity_bank import model_to_data


def load_model_file(edition_model, path: Path = DEFAULT_MODEL_PATH, *, activate: bool = False):
    """Store the model file as an edition unless that edition and version is stored already.

    ``edition_model`` is the model class (the historical one inside a migration). The file is
    validated by the domain loader first; a broken file raises ``ModelError`` and stores nothing.
    Returns (edition row, created).
    """
    model = load_model(Path(path))
    existing = edition_model.objects.filter(edition=model.edition, version=model.version).first()
    if existing is not None:
        return existing, False
    if activate:
        edition_model.objects.filter(is_active=True).update(is_active=False)
    row = edition_model(
        edition=model.edition,
        version=model.version,
        title=model.title,
        definition=model_to_data(model),
        source=f"数据文件 {Path(path).name}",
        is_active=activate or not edition_model.objects.filter(is_active=True).exists(),
    )
    # The historical model of a migration has no custom save(): set the checksum here too.
    from .models import definition_checksum

    row.checksum = definition_checksum(row.definition)
    row.save()
    return row, True
