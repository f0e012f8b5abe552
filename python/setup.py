"""Build step for the rfx Python package (configuration is in pyproject.toml).

When the C library has been built (`make` in the repository root, which
writes build/librfx.so.0), a copy goes into the package as rfx/lib/librfx.so.0,
so `pip install ./python` gives a self-contained package. Without it the
package finds librfx at import time (rfx/_lib.py: RFX_LIB, the system
loader, PREFIX/lib of `make install`).
"""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class build_py_with_lib(build_py):
    def run(self):
        super().run()
        src = os.environ.get("RFX_LIB") or os.path.join(HERE, "..", "build", "librfx.so.0")
        if os.path.exists(src):
            dest = os.path.join(self.build_lib, "rfx", "lib")
            os.makedirs(dest, exist_ok=True)
            shutil.copy2(os.path.realpath(src), os.path.join(dest, "librfx.so.0"))


setup(cmdclass={"build_py": build_py_with_lib})
