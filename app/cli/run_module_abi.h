#pragma once
// The one entry point of libmaxstate-run.so, the part of `maxstate` that runs models (LibTorch, and Qt for
// export). `maxstate` loads it with dlopen only for the commands that need it, so that inspecting a file or
// printing help never pays LibTorch's ~0.7 s start. Plain C: only ints and C strings cross the boundary, and
// each command reports its own errors (cli/report_errors.h) before returning its exit status.
#ifdef __cplusplus
extern "C" {
#endif

#define MAXSTATE_RUN_MODULE_ABI 1
#define MAXSTATE_RUN_MODULE_ENTRY "maxstate_run_module"

// argv holds the arguments after the command's name; returns the exit status.
typedef int (*maxstate_run_function)(int argc, const char* const* argv);

typedef struct {
  const char* name;
  maxstate_run_function run;
} maxstate_run_command;

typedef struct {
  int abi;              // MAXSTATE_RUN_MODULE_ABI of the module's build
  const char* version;  // the project version it was built from: must be the executable's
  int count;
  const maxstate_run_command* commands;
} maxstate_run_module_info;

typedef const maxstate_run_module_info* (*maxstate_run_module_entry)(void);

#ifdef __cplusplus
}
#endif
