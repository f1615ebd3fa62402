"""Names vulture cannot see being used (run by .ci/run: vulture factcheck tests bench
.ci/vulture_whitelist.py). Everything here is called by a framework or is public API."""
# ruff: noqa
from factcheck import checker, cli, db, kinds  # noqa: F401

# Public API (README "Python API") and module __getattr__ for lazy imports.
__getattr__
checker.Checker.claims_from_text
checker.Checker.compare_files
# typer: commands are registered by decorator, options are enum members and callback parameters.
_root
version
stats
verify
rebuild
export_
list_rules
validate
new
compare
extract
eval_
warning
error
never
auto
always
self_contradiction
dispute
drop  # VetoMode.drop (--verifier-veto)
calibrate  # `factcheck verifier calibrate`
# click/typer attributes set on parameter objects (factcheck/cli/helptext.py), read by typer.
make_metavar
display_type_rich
_usage_display_name
ctx
# Rule kinds register themselves with @register; RE2 and FAISS read these attributes.
DateMismatch
Modality
Numeric
Opposing
Pattern
case_sensitive
log_errors
efSearch
# Records: fields kept for callers and the __exit__ protocol.
rowid
added_at
tb
test  # `factcheck rules test`
# pytest hooks and fixtures, HTMLParser callbacks, and the subprocess helper for tests of the process itself.
pytest_configure
pytest_report_header  # tests/conftest.py: names the backends test_db runs on
_no_repo_db
run_process
handle_starttag
handle_endtag
handle_data
# Encoders: torch calls forward(); onnxruntime reads SessionOptions attributes; the manifest's
# fields are written to manifest.json for people and tools; the lru_cache key `stamp` re-opens a
# re-exported model; spaCy is imported through import_without_torch (claim frames).
forward
stamp
source_hash
normalize
quantization
reference_sentences
exported_with
intra_op_num_threads
inter_op_num_threads
graph_optimization_level
log_severity_level
import_without_torch
__spec__
# The learned verifier's tests build a tokenizer and an ONNX graph: attributes read by tokenizers/onnx.
normalizer
pre_tokenizer
post_processor
ir_version
# Claim-frame rule kinds: registered by @register and found by name from YAML; slot readers are
# looked up by slot name (getattr(self, "_" + slot)).
RoleReversal
SlotMismatch
Implicative
QuantifierClash
ScoreMismatch
_place
_direction
_holder
_role
_party
_winner
_agent
# The service (factcheck/service/): FastAPI calls route functions and exception handlers registered
# by decorator; pydantic reads model_config and runs @field_validator/@model_validator methods;
# uvicorn reads Server.should_exit (tests/serve_helpers.py); pytest reads pytestmark.
_invalid
_http
_busy
_bad
_bug
healthz
metrics_
model_config
_distinct
_one
_some
should_exit
pytestmark
# onnxruntime SessionOptions attribute, read by onnxruntime (encoders/onnx_backend.py).
enable_cpu_mem_arena
try_bind_port  # scripts/milvus_launch.py replaces the Milvus wrapper method of that name
bare_tokenizer  # registered with spaCy's registry (frames/parse._bare_tokenizer), called by spacy.load
