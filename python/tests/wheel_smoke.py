"""Run by scripts/test with the Python of a fresh virtualenv that has only the built wheel
installed: the package imports and works there (abi3: one wheel for every CPython >= 3.9)."""

import subprocess
import sys
import tempfile
from pathlib import Path

import dockopt

text = "FROM python:3.12\nCOPY . /app\nRUN pip install flask\nCMD python /app/app.py\n"
df = dockopt.parse(text)
assert str(df) == text and df.stages[0].base_image is not None
assert df.stages[0].base_image.tag == "3.12"
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "Dockerfile"
    path.write_text(text)
    findings = dockopt.lint_file(path)
    assert findings and all(isinstance(f, dockopt.Finding) for f in findings)
    assert [f.code for f in findings] == [f.code for f in dockopt.lint_paths([folder])]
    assert dockopt.optimize_file(path).text != text
assert (Path(dockopt.__file__).parent / "py.typed").is_file()
assert (Path(dockopt.__file__).parent / "_native.pyi").is_file()
version = subprocess.run([sys.executable, "-m", "dockopt", "--version"], capture_output=True, text=True)
assert version.returncode == 0 and version.stdout.startswith("dockopt "), version
print(f"wheel on Python {sys.version.split()[0]}: ok ({len(findings)} findings)")
