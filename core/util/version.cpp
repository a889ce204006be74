#include "maxstate/version.h"

#include <dlfcn.h>
#include <link.h>

#include <ATen/ATen.h>

#include <cstring>
#include <string>

namespace maxstate {

std::string version() { return MAXSTATE_VERSION; }

namespace {

int findBlas(dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  const char* name = info->dlpi_name;
  if (name && (std::strstr(name, "libblas") || std::strstr(name, "openblas") || std::strstr(name, "mkl_rt"))) {
    if (out->empty()) *out = name;
  }
  return 0;
}

std::string resolved(const std::string& path) {
  char buf[4096];
  if (realpath(path.c_str(), buf)) return buf;
  return path;
}

}  // namespace

std::string blasInfo() {
  // Force the BLAS to be loaded and used once.
  at::Tensor a = at::ones({8, 8});
  (void)at::mm(a, a);
  std::string lib;
  dl_iterate_phdr(findBlas, &lib);
  using ConfigFn = char* (*)();
  std::string name;
  if (auto fn = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    name = fn();
  } else if (!lib.empty()) {
    name = lib.find("blas/libblas") != std::string::npos ? "reference BLAS (netlib)" : "unknown BLAS";
  } else {
    name = "no BLAS library found";
  }
  if (!lib.empty()) name += " (" + resolved(lib) + ")";
  return name;
}

bool blasIsOptimised() {
  const std::string info = blasInfo();
  return info.find("OpenBLAS") != std::string::npos || info.find("mkl") != std::string::npos;
}

}  // namespace maxstate
