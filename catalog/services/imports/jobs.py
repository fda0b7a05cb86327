"""The import job: check the upload at once, then validate and write its rows chunk by chunk in
a Celery task, replaying a chunk the database refuses row by row."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from catalog import csvio, importformats
from catalog.models import SKU, Category, ImportJob
from catalog.services.alerts import inventory_figure_forget
from catalog.services.imports.rows import ImportState, plan_row, row_error
from catalog.services.imports.writes import write_plans
from catalog.tasks import import_images_task, import_job_run_task
from common.policy import POLICY
from shops import activity
from shops.models import Shop

CHUNK = 500


def import_job_create(*, shop: Shop, actor, upload) -> ImportJob:
    """Check the file now (size, encoding, headers), store it privately, queue the import."""
    if upload.size > POLICY.csv_import_max_bytes:
        raise ValidationError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; imports can be at most "
            f"{POLICY.csv_import_max_bytes // (1024 * 1024)} MB. Split it into smaller files."
        )
    raw = upload.read()
    text = csvio.decode_upload(raw)
    # Shopify and WooCommerce product exports are read into our format (catalog.importformats);
    # their image URLs are kept on the job and fetched after the rows (imports.images).
    image_urls = importformats.image_urls(text)
    text, _source = importformats.to_native(text)
    _, rows = csvio.check_header(text)
    if rows > POLICY.csv_import_max_rows:
        raise ValidationError(
            f"The file has {rows} rows; an import can have at most {POLICY.csv_import_max_rows}."
        )
    path = storages["private"].save(
        f"imports/{shop.pk}/{uuid.uuid4().hex}.csv", ContentFile(text.encode("utf-8"))
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            shop=shop,
            actor=actor if getattr(actor, "pk", None) else None,
            filename=(upload.name or "import.csv")[:255],
            file=path,
            total_rows=rows,
            image_urls=image_urls,
        )
        import_job_run_task.delay_on_commit(shop_id=shop.pk, job_id=job.pk)
    return job


def import_job_run(*, shop: Shop, job_id: int) -> ImportJob:
    """Run (or finish) one import. Idempotent: a job that already started is left alone."""
    claimed = ImportJob.objects.filter(
        shop=shop, pk=job_id, status=ImportJob.Status.PENDING
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.get(shop=shop, pk=job_id)
    if not claimed:
        return job
    try:
        text = storages["private"].open(job.file).read().decode("utf-8")
        state = ImportState(categories=_category_lookup())
        chunk: list = []
        for number, row in csvio.iter_rows(text):
            chunk.append((number, row))
            if len(chunk) >= CHUNK:
                _chunk_run(shop=shop, job=job, rows=chunk, state=state)
                chunk = []
        if chunk:
            _chunk_run(shop=shop, job=job, rows=chunk, state=state)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            message="The import stopped unexpectedly; rows reported as processed were saved.",
        )
        raise
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    inventory_figure_forget(shop)  # the seller sees the imported stock on Home at once
    if job.created_count or job.updated_count:
        activity.record(shop=shop, kind=activity.Kind.PRODUCT_MODIFIED, actor=job.actor)
    if job.image_urls:
        import_images_task.delay_on_commit(shop_id=shop.pk, job_id=job.pk)
    return job


def _category_lookup() -> dict[str, int]:
    lookup = {}
    for pk, slug, name in Category.objects.values_list("pk", "slug", Lower("name")):
        lookup[slug.lower()] = pk
        lookup.setdefault(name, pk)
    return lookup


def _chunk_run(*, shop: Shop, job: ImportJob, rows: list, state: ImportState) -> None:
    # Seller SKUs match exactly (as the unique constraint does), so the lookup uses its index.
    codes = {row.get("seller_sku", "") for _, row in rows}
    codes |= {row.get("parent_sku", "") for _, row in rows}
    codes.discard("")
    existing = {
        s.seller_sku: s
        for s in SKU.objects.filter(shop=shop, seller_sku__in=codes).select_related("product")
    }
    errors, plans = [], []
    for number, row in rows:
        plan, row_errors = plan_row(number, row, existing, state)
        if row_errors:
            errors.extend(row_errors)
            if plan_code := row.get("seller_sku", ""):
                state.failed.add(plan_code)
        else:
            plans.append(plan)
    created = updated = 0
    try:
        with transaction.atomic():
            created, updated = write_plans(
                shop=shop, actor=job.actor, job=job, plans=plans, state=state
            )
    except DatabaseError:
        for plan in plans:  # replay row by row: each row whole or not at all
            try:
                with transaction.atomic():
                    c, u = write_plans(
                        shop=shop, actor=job.actor, job=job, plans=[plan], state=state
                    )
                created, updated = created + c, updated + u
            except DatabaseError:
                state.failed.add(plan.code)
                errors.append(
                    row_error(
                        plan.number,
                        "seller_sku",
                        "could not be saved (the SKU changed meanwhile); try this row again.",
                    )
                )
    job.processed_rows += len(rows)
    job.created_count += created
    job.updated_count += updated
    job.error_count += len({e["row"] for e in errors})
    job.errors = job.errors + errors
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=job.processed_rows,
        created_count=job.created_count,
        updated_count=job.updated_count,
        error_count=job.error_count,
        errors=job.errors,
    )


STAGE_SALT = "catalog.import-stage"


def import_stage(*, shop: Shop, upload) -> tuple[str, importformats.Preview] | None:
    """A Shopify or WooCommerce export is kept aside for the seller to confirm its mapping
    preview first: returns (a signed ticket naming the stored file, the preview). None for our
    own format, which imports at once."""
    from django.core import signing

    if upload.size > POLICY.csv_import_max_bytes:
        return None  # import_job_create gives the size refusal
    raw = upload.read()
    upload.seek(0)
    try:
        text = csvio.decode_upload(raw)
    except ValidationError:
        return None  # import_job_create gives the encoding refusal
    if not importformats.detect(text):
        return None
    preview = importformats.preview(text)
    name = storages["private"].save(
        f"imports/{shop.pk}/staged-{uuid.uuid4().hex}.csv", ContentFile(raw)
    )
    ticket = signing.dumps(
        {"shop": shop.pk, "name": name, "filename": upload.name or ""}, salt=STAGE_SALT
    )
    return ticket, preview


def import_staged_create(*, shop: Shop, actor, ticket: str) -> ImportJob:
    """Import a file kept aside by ``import_stage`` once the seller confirmed its preview."""
    from django.core import signing
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        staged = signing.loads(ticket, salt=STAGE_SALT, max_age=3600)
    except signing.BadSignature:
        raise ValidationError("This preview has expired; upload the file again.") from None
    if staged.get("shop") != shop.pk:
        raise ValidationError("This preview has expired; upload the file again.")
    storage = storages["private"]
    try:
        with storage.open(staged["name"]) as staged_file:
            raw = staged_file.read()
    except FileNotFoundError:
        raise ValidationError("This preview has expired; upload the file again.") from None
    storage.delete(staged["name"])
    upload = SimpleUploadedFile(staged["filename"] or "import.csv", raw, content_type="text/csv")
    return import_job_create(shop=shop, actor=actor, upload=upload)
