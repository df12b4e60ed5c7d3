"""Provenance: raw-data manifest checks and the provenance record of a run.

- :func:`read_manifest` / :func:`write_manifest` -- the ``MANIFEST.sha256`` of ``data/raw``
- :func:`verify_manifest` -- compare a folder with its manifest (changed, missing, extra)
- :func:`provenance_record` -- checksums, code version, software versions of a run
"""

from nero.provenance.manifest import (
    ManifestCheck,
    RawDataChanged,
    manifest_text,
    read_manifest,
    sha256_file,
    verify_manifest,
    write_manifest,
)
from nero.provenance.record import code_fingerprint, git_state, package_versions, provenance_record

__all__ = [
    "ManifestCheck",
    "RawDataChanged",
    "code_fingerprint",
    "git_state",
    "manifest_text",
    "package_versions",
    "provenance_record",
    "read_manifest",
    "sha256_file",
    "verify_manifest",
    "write_manifest",
]
