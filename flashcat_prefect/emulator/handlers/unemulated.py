"""Writes the emulator refuses rather than fakes, each with the reason (see
:func:`.base.not_emulated`): they answer 400 ``BadRequest`` "<path> is not emulated: ...".
"""

from __future__ import annotations

from flashcat_prefect.emulator.handlers.base import not_emulated

REASONS = {
    "/ai/post-mortem/generate": "it streams text written by Flashduty's AI model",
    "/enrichment/mapping/data/upload": "multipart CSV uploads are not parsed; use "
    "/enrichment/mapping/data/upsert",
    "/incident/post-mortem/media/upload": "multipart media uploads are not stored",
    "/incident/external-create": "it is a public form guarded by a captcha, not an app-key "
    "call; use /incident/create",
    "/resource/transfer/license": "licences and billing are not emulated",
    "/incident/comment-type/reorder": "the API facts document no request fields, so the "
    "order asked for is unknown",
    "/incident/work-item/delete": "the API facts document no request fields, so the item "
    "to delete is unknown",
    "/incident/comment-type/update": "the API facts document no request fields, so the "
    "comment type and its change are unknown",
    "/incident/comment-type/delete": "the API facts document no request fields, so the "
    "comment type to delete is unknown",
    **{
        f"/channel/notify/rule/{verb}": "the API facts document no request fields for "
        "notification rules (the SDK dropped them as dead)"
        for verb in ("create", "update", "delete", "enable", "disable")
    },
}

for _path, _reason in REASONS.items():
    not_emulated(_path, _reason)
