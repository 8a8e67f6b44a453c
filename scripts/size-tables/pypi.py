#!/usr/bin/env python3
"""Measure how many bytes `pip install <dist>` adds to a python:3.11 image.

Writes crates/dockopt/src/analyze/pypi_sizes.toml, the table `dockopt analyze`
uses to estimate the size of a `pip install` layer.

How it measures, for each distribution in DISTRIBUTIONS (in a pool of 2 worker
processes, each with a per-package timeout):

  1. `pip download --no-cache-dir -d <dl> <name>` fetches the files pip would
     install (the distribution and all its dependencies); the size of each
     `.whl` is the `wheel` figure (what pip's cache would hold).
  2. `pip install --no-cache-dir --no-index --find-links <dl> --target <t> <name>`
     installs exactly those files (with .pyc compilation, as in an image).
  3. For EVERY distribution that landed in <t>, its `*.dist-info/RECORD` lists
     its files: `installed` is the sum of the sizes of those files that exist
     (each file counted once, scripts in bin/ included); `requires` are its
     `Requires-Dist` entries that carry no `extra` marker, names normalized per
     PEP 503. An entry with another environment marker is kept only if that
     distribution was installed alongside (i.e. the marker held on Python 3.11).

Results are merged over all installs; a distribution seen several times keeps
the record with the largest `installed`. Output is sorted by name.

The local interpreter should be CPython 3.11 on linux x86_64 glibc (what a
python:3.11 image runs); otherwise pip is asked for cp311 manylinux wheels.

Rerun (takes ~15-25 minutes, needs a few GB free under the scratch folder):

    python3 scripts/size-tables/pypi.py [--jobs 2] [--scratch /work/.size-tables-tmp] [NAME ...]

Naming distributions on the command line measures only those (for testing).
Standard library only.
"""

import argparse
import concurrent.futures
import csv
import datetime
import email.parser
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import run, toml_str

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "crates" / "dockopt" / "src" / "analyze" / "pypi_sizes.toml"
DEFAULT_SCRATCH = Path("/work/.size-tables-tmp")
TIMEOUT = 240  # seconds per distribution (download + install)
LONG_TIMEOUT = 900  # for the few multi-GB installs below
LONG = {"torch", "torchvision", "tensorflow", "jax", "sentence-transformers", "ray"}

# The 500 most-downloaded PyPI projects of the 30 days to 2026-04-01 (hugovk/top-pypi-packages),
# those not listed below and not already seen as a requirement of one of them; Windows-only
# ones left out.
MOST_DOWNLOADED = """
    aenum aiobotocore aiofile aioitertools aliyun-python-sdk-core argcomplete asn1crypto asyncio
    authlib aws-sam-translator awswrangler azure-common backoff backports-tarfile beartype
    botocore-stubs cachecontrol caio cattrs chardet cleo crashtest cyclopts
    databricks-sql-connector datadog dbt-adapters dbt-common dbt-core deepdiff deprecation
    dulwich editables exceptiongroup execnet fastmcp findpython future gcsfs google-ads
    google-analytics-admin google-auth-oauthlib google-cloud-aiplatform google-cloud-batch
    google-cloud-bigtable google-cloud-compute google-cloud-dataform google-cloud-dlp
    google-cloud-kms google-cloud-language google-cloud-logging google-cloud-memcache
    google-cloud-monitoring google-cloud-os-login google-cloud-redis
    google-cloud-resource-manager google-cloud-secret-manager google-cloud-speech
    google-cloud-tasks google-cloud-videointelligence google-cloud-vision google-cloud-workflows
    google-genai grpcio-health-checking hatchling humanfriendly humanize inflection installer
    jaraco-classes jaraco-context jaraco-functools jeepney jsonpath-ng jsonref jsonschema-path
    keyring litellm mcp mdit-py-plugins msrest openapi-pydantic openapi-spec-validator
    opensearch-py opentelemetry-exporter-prometheus opentelemetry-instrumentation
    opentelemetry-instrumentation-asgi opentelemetry-instrumentation-fastapi
    opentelemetry-instrumentation-requests opentelemetry-util-http orderly-set pandas-stubs
    pathable pbs-installer pkginfo poetry poetry-core poetry-plugin-export portalocker py
    py-key-value-aio py4j pycryptodomex pydantic-ai-slim pydantic-graph pyee pygithub pyperclip
    pyspark pytest-json-ctrf pytest-mock pytest-timeout pytest-xdist python-slugify rapidfuzz
    redshift-connector requests-aws4auth responses rich-rst rich-toolkit ruamel-yaml
    ruamel-yaml-clib s3fs scramp secretstorage semver setuptools-scm snowflake-connector-python
    snowflake-sqlalchemy sqlalchemy-bigquery sqlglot sse-starlette text-unidecode textual
    tree-sitter tree-sitter-languages trove-classifiers typedload typeguard types-awscrt
    types-protobuf types-python-dateutil types-pyyaml types-requests types-s3transfer
    uncalled-for weaviate-client xmltodict yandexcloud zarr
""".split()

# ~200 distributions commonly found in requirements.txt files of Docker images.
# Source-only distributions (e.g. mysqlclient, which needs libmysqlclient-dev)
# are left out on purpose.
DISTRIBUTIONS = """
    accelerate aiofiles aiohttp aiokafka aiosqlite alembic anthropic apscheduler
    arrow asyncpg attrs awscli azure-identity azure-storage-blob babel bcrypt
    beautifulsoup4 black bokeh boto3 botocore bottle cachetools catboost celery
    certifi cffi channels charset-normalizer chromadb click clickhouse-connect
    confluent-kafka coverage cryptography cython daphne dash dask datasets
    ddtrace django django-cors-headers django-environ django-extensions
    django-filter django-storages djangorestframework docker duckdb
    elasticsearch email-validator eventlet fabric faiss-cpu faker falcon fastapi
    flake8 flask flask-cors flask-login flask-migrate flask-restful
    flask-sqlalchemy flask-wtf geopandas gevent google-api-python-client
    google-auth google-cloud-bigquery google-cloud-pubsub google-cloud-storage
    gradio greenlet grpcio grpcio-tools gunicorn h5py html5lib httptools httpx
    huggingface-hub hypercorn hypothesis idna ipykernel ipython isort
    itsdangerous jax jinja2 jmespath joblib jsonschema jupyter jupyterlab keras
    kombu kubernetes langchain langchain-community langchain-openai lightgbm
    litestar llama-index locust loguru lxml markdown markupsafe marshmallow
    matplotlib mkdocs mkdocs-material mlflow more-itertools motor msgpack
    mypy mysql-connector-python neo4j networkx newrelic nltk notebook numba
    numpy onnx onnxruntime openai opencv-python opencv-python-headless
    openpyxl opentelemetry-api opentelemetry-exporter-otlp opentelemetry-sdk
    optuna orjson packaging paho-mqtt pandas paramiko passlib pdfplumber
    peewee pendulum pika pillow pip playwright plotly polars pre-commit
    prometheus-client protobuf psutil psycopg psycopg-binary psycopg2-binary
    pyarrow pycryptodome pydantic pydantic-settings pyjwt pylint pymongo
    pymupdf pymysql pyopenssl pypdf pyproj pytest pytest-asyncio pytest-cov
    python-dateutil python-docx python-dotenv python-jose python-multipart
    pytz pyyaml pyzmq quart ray redis reportlab requests requests-oauthlib
    rich rq ruff s3transfer safetensors sanic schedule scikit-image
    scikit-learn scipy scrapy seaborn selenium sendgrid sentence-transformers
    sentry-sdk setuptools shapely simplejson six slack-sdk spacy sphinx
    sqlalchemy sqlmodel starlette statsmodels streamlit stripe structlog
    supervisor sympy tables tenacity tensorboard tensorflow tiktoken tokenizers
    toml tomli torch torchvision tornado tox tqdm transformers twilio typer
    ujson urllib3 uv uvicorn uvloop virtualenv waitress watchdog weasyprint
    websockets werkzeug wheel whitenoise xgboost xlrd xlsxwriter
""".split()


def normalize(name):
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_platform_flags():
    """Extra pip flags so that pip picks the wheels a python:3.11 image would get."""
    if sys.version_info[:2] == (3, 11) and sys.platform == "linux" and platform.machine() == "x86_64":
        return []
    return [
        "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
        "--only-binary=:all:",
        "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_28_x86_64",
        "--platform", "manylinux_2_34_x86_64", "--platform", "linux_x86_64",
    ]


def pip_error(output):
    """The most telling line of a failed pip run."""
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    for line in lines:
        if line.startswith(("ERROR:", "error:")):
            return line
    return lines[-1] if lines else "no output"


def wheel_sizes(download_dir):
    """Normalized distribution name -> bytes of its downloaded .whl."""
    sizes = {}
    for f in download_dir.iterdir():
        if f.suffix == ".whl":
            sizes[normalize(f.name.split("-")[0])] = f.stat().st_size
    return sizes


def record_files(target, dist_info):
    """Existing files listed by dist_info/RECORD, as absolute paths."""
    files = set()
    record = dist_info / "RECORD"
    if not record.is_file():
        return files
    with record.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = [row for row in csv.reader(f) if row and row[0]]
    for row in rows:
        rel = row[0]
        path = target / rel
        if rel.startswith(".."):
            # scripts and data files: pip --target moves bin/, share/, ... into target
            parts = [p for p in Path(rel).parts if p != ".."]
            path = target.joinpath(*parts)
        path = Path(os.path.normpath(path))
        if path.is_file() and not path.is_symlink():
            files.add(path)
    return files


def requirements(dist_info):
    """(name, has_marker) for each Requires-Dist that has no `extra` marker."""
    meta = dist_info / "METADATA"
    if not meta.is_file():
        return []
    msg = email.parser.Parser().parsestr(meta.read_text(encoding="utf-8", errors="replace"))
    reqs = []
    for value in msg.get_all("Requires-Dist") or []:
        spec, _, marker = value.partition(";")
        if "extra" in marker:
            continue
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        if m:
            reqs.append((normalize(m.group(1)), bool(marker.strip())))
    return reqs


def measure_target(target, wheels):
    """Per-distribution records for everything pip installed into target."""
    infos = {}
    for dist_info in sorted(target.glob("*.dist-info")):
        meta = dist_info / "METADATA"
        name = None
        if meta.is_file():
            msg = email.parser.Parser().parsestr(meta.read_text(encoding="utf-8", errors="replace"))
            name = msg.get("Name")
        name = normalize(name or dist_info.name.rsplit("-", 1)[0])
        infos[name] = dist_info
    seen = set()  # count each file once, even if two RECORDs list it
    result = {}
    for name, dist_info in sorted(infos.items()):
        files = record_files(target, dist_info) - seen
        seen |= files
        reqs = sorted({r for r, has_marker in requirements(dist_info)
                       if not has_marker or r in infos})
        entry = {"installed": sum(f.stat().st_size for f in files), "requires": reqs}
        if name in wheels:
            entry["wheel"] = wheels[name]
        result[name] = entry
    return result


def measure(name, scratch):
    """Install one distribution; return (name, records or None, seconds, error)."""
    start = time.monotonic()
    timeout = LONG_TIMEOUT if name in LONG else TIMEOUT
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    env.pop("PIP_FIND_LINKS", None)  # only PyPI, no local wheel folders
    work = Path(tempfile.mkdtemp(prefix=f"pypi-{name}-", dir=scratch))
    try:
        dl, target = work / "dl", work / "target"
        flags = pip_platform_flags()
        pip = [sys.executable, "-m", "pip"]
        cmds = [
            pip + ["download", "--no-cache-dir", "-d", str(dl)] + flags + [name],
            pip + ["install", "--no-cache-dir", "--no-index", "--find-links", str(dl),
                   "--target", str(target)] + flags + [name],
        ]
        for cmd in cmds:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                raise subprocess.TimeoutExpired(cmd, timeout)
            code, out = run(cmd, left, env=env)
            if code != 0:
                return name, None, time.monotonic() - start, f"pip {cmd[3]} failed: {pip_error(out)}"
        return name, measure_target(target, wheel_sizes(dl)), time.monotonic() - start, None
    except subprocess.TimeoutExpired:
        return name, None, time.monotonic() - start, f"timed out after {timeout} s"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_toml(path, merged, failed, names, pip_version):
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    pyver = platform.python_version()
    lines = [
        "# Installed size of PyPI distributions, as `pip install` puts them in a python:3.11 image.",
        "# Generated by scripts/size-tables/pypi.py -- do not edit by hand; rerun the script.",
        f"# Date: {today}. Python {pyver} ({sys.implementation.name}), linux x86_64 glibc, {pip_version}.",
        f"# Measured {len(names)} requested distributions; {len(merged)} distributions seen in total.",
        "# installed = bytes of the files listed in the distribution's RECORD (incl. .pyc and scripts),",
        "#             this distribution only; add `requires` (recursively) for the full closure.",
        "# wheel     = bytes of the downloaded .whl (what pip's cache keeps); absent for sdists.",
        "# requires  = direct Requires-Dist without `extra` markers (PEP 503 names).",
    ]
    if failed:
        lines.append("# Failed to install (skipped):")
        for name, err in sorted(failed.items()):
            lines.append(f"#   {name}: {err[:150]}")
    lines += [
        "",
        "version = 1",
        f"source = {toml_str('pip install --no-cache-dir --target DIR NAME (PyPI)')}",
        f"date = {toml_str(today)}",
        f"python = {toml_str('.'.join(pyver.split('.')[:2]))}",
        "",
    ]
    for name in sorted(merged):
        e = merged[name]
        lines.append(f"[package.{toml_str(name)}]")
        lines.append(f"installed = {e['installed']}")
        if "wheel" in e:
            lines.append(f"wheel = {e['wheel']}")
        lines.append("requires = [" + ", ".join(toml_str(r) for r in e["requires"]) + "]")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (at most 2)")
    ap.add_argument("--scratch", type=Path, default=DEFAULT_SCRATCH)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("names", nargs="*", help="measure only these distributions")
    args = ap.parse_args()

    names = sorted({normalize(n) for n in (args.names or DISTRIBUTIONS + MOST_DOWNLOADED)})
    # longest first, for a better schedule; the output order does not depend on it
    names.sort(key=lambda n: (n not in LONG, n))
    pip_version = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True,
                                 text=True, check=True).stdout.split(" from ")[0]
    scratch = args.scratch / "pypi"
    scratch.mkdir(parents=True, exist_ok=True)

    merged, failed = {}, {}
    t0 = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(2, args.jobs))) as pool:
        futures = [pool.submit(measure, n, scratch) for n in names]
        for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            name, records, secs, err = fut.result()
            if err:
                failed[name] = err
                print(f"[{done}/{len(names)}] FAILED {name} ({secs:.0f} s): {err}", file=sys.stderr)
                continue
            print(f"[{done}/{len(names)}] {name}: {len(records)} dists, {secs:.0f} s", file=sys.stderr)
            for dist, entry in records.items():
                if dist not in merged or entry["installed"] > merged[dist]["installed"]:
                    merged[dist] = entry
    shutil.rmtree(scratch, ignore_errors=True)
    write_toml(args.output, merged, failed, names, pip_version)
    print(f"wrote {args.output}: {len(merged)} distributions, {len(failed)} failed, "
          f"{time.monotonic() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
