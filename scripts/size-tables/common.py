"""Helpers the size-table generators share: running a tool with a hard timeout, and writing
TOML strings. Standard library only."""

import os
import signal
import subprocess


def run(cmd, timeout, env=None, cwd=None):
    """Run cmd in its own process group, output and errors together; kill the whole group on
    timeout (npm and pip start children that would outlive a plain kill)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return proc.returncode, out


def toml_str(s):
    """A TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
