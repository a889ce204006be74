#pragma once
// `maxstate-explorer --help`. Kept apart from main.cpp so that the argument handling stays small; the man
// page maxstate-explorer(1) embeds this text at build time, so every option documented here is documented
// there too. When you add an option to main.cpp, describe it here.

namespace maxstate::gui {

inline constexpr const char* kHelpText =
    R"(Usage: maxstate-explorer [OPTIONS] [CHECKPOINT...]

Look inside sequence models built on the MaxStateSuper layer: what the
running-maximum state holds at every position, which token put each value
there, which terms of the layer carry the output, and the learned alphas.

Opens each CHECKPOINT given (PyTorch .pt/.pth/.bin, .safetensors, TorchScript;
several at once to compare training checkpoints side by side). With none,
opens the bundled demo model and text.

Options:
  -h, --help        Show this help and exit.
  -V, --version     Print the version and exit.
  --text STR        Start on this text instead of the demo text.
  --ids LIST        Start on these token ids, e.g. "1, 52, 7".
  --startup-benchmark
                    Print the milliseconds from launch to the first trace
                    shown, then quit (used by the benchmarks).
  -platform NAME    Qt's window system: xcb, wayland, or offscreen (no display).
  -style NAME       Qt's widget style, e.g. Fusion.
  Qt's other standard options are accepted as well.

Environment:
  DISPLAY, WAYLAND_DISPLAY
                    The desktop session to show the window on. Without
                    either (and without QT_QPA_PLATFORM or -platform) the
                    explorer says so and exits with status 1.
  QT_QPA_PLATFORM   Qt's window system; 'offscreen' needs no display.

The command-line tool 'maxstate' inspects, traces and exports the same
models without a display. More: man maxstate-explorer.
)";

}  // namespace maxstate::gui
