#include "maxstate/version.h"

#include <dlfcn.h>
#include <link.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace maxstate {

std::string version() { return MAXSTATE_VERSION; }

namespace {

// LibTorch links libblas.so.3 by that name (Debian's alternatives choose which BLAS it is), so the library the
// loader gives for that name is the one its matrix products run on -- the same object when LibTorch is already
// loaded. Asking the loader directly keeps LibTorch's ~0.7 s start out of `maxstate --version`.
constexpr const char* kBlasName = "libblas.so.3";

std::string loadedPath(void* handle) {
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_name) return kBlasName;
  char resolved[PATH_MAX];
  return realpath(map->l_name, resolved) ? resolved : map->l_name;
}

}  // namespace

std::string blasInfo() {
  // Never closed: OpenBLAS starts its threads when loaded, and LibTorch may use the same handle later.
  void* blas = dlopen(kBlasName, RTLD_LAZY | RTLD_LOCAL);
  if (!blas) {
    const char* why = dlerror();
    return std::string("no BLAS library found (") + kBlasName + ": " + (why ? why : "not found") + ")";
  }
  const std::string path = loadedPath(blas);
  using ConfigFn = char* (*)();
  std::string name;
  if (auto config = reinterpret_cast<ConfigFn>(dlsym(blas, "openblas_get_config")))
    name = config();
  else if (path.find("blas/libblas") != std::string::npos)
    name = "reference BLAS (netlib)";
  else
    name = "unknown BLAS";
  return name + " (" + path + ")";
}

bool blasIsOptimised() {
  const std::string info = blasInfo();
  return info.find("OpenBLAS") != std::string::npos || info.find("mkl") != std::string::npos;
}

}  // namespace maxstate
