"""`factcheck model ...`: make and inspect the ONNX export that the fast backend runs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .common import ModelOpt

app = typer.Typer(help="The embedding model: export it to ONNX (int8) for the fast backend, show what is used.",
                  no_args_is_help=True)


@app.command("export")
def export(model: Optional[str] = ModelOpt,
           output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                 help="Directory for the export [default: the factcheck cache, "
                                                      "env FACTCHECK_CACHE]. Pass it later as --model DIR."),
           force: bool = typer.Option(False, "--force", help="Export again even if a current export exists."),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No messages.")) -> None:
    """Export the sentence-transformers model to int8 ONNX with a manifest (needs torch, once)."""
    import logging

    from ..encoders.base import model_ref
    from ..encoders.export import export_model
    from ..encoders.manifest import find_onnx_model

    ref = model_ref(model)
    existing = find_onnx_model(ref) if output is None else None
    if existing is not None and not force:
        if not quiet:
            typer.echo(f"factcheck: ONNX export of {ref} is current: {existing}", err=True)
        return
    logging.disable(logging.WARNING)  # onnxruntime's quantizer advises on pre-processing at WARNING level
    export_model(ref, output, say=(lambda m: None) if quiet else (lambda m: typer.echo(m, err=True)))


@app.command("info")
def info(model: Optional[str] = ModelOpt) -> None:
    """Which backend a run would use for the model, and the export's manifest (JSON)."""
    from ..encoders.base import model_ref
    from ..encoders.manifest import find_onnx_model, read_manifest

    ref = model_ref(model)
    found = find_onnx_model(ref)
    out = {"model": ref, "backend": "onnx" if found else "torch", "export": str(found) if found else None}
    if found:
        out["manifest"] = read_manifest(found).__dict__
    typer.echo(json.dumps(out, indent=2))
