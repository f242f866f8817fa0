"""Builds libmue with the project's Makefile (`make lib`) and puts libmue.so into the
package: `pip install .` from the repository root. The Debian packages the library needs
(GSL, jansson, zlib; `make deps` installs them) must be there. MUE_MAKE_ARGS passes more
to make, e.g. MUE_MAKE_ARGS="NVCC=" for a CPU-only library where nvcc is installed."""
import os
import shlex
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

ROOT = os.path.dirname(os.path.abspath(__file__))


class BuildWithMake(build_py):
    def run(self):
        args = ["make", "-C", ROOT, "lib"] + shlex.split(os.environ.get("MUE_MAKE_ARGS", ""))
        subprocess.check_call(args)
        super().run()
        dest = os.path.join(self.build_lib, "mue")
        os.makedirs(dest, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, "build", "lib", "libmue.so"), os.path.join(dest, "libmue.so"))


class BinaryDistribution(Distribution):
    """The wheel holds a compiled library: it is for this platform only."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithMake}, distclass=BinaryDistribution)
