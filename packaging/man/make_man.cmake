# Writes a man page from a hand-written template and the program's own help, so that the options a man page lists
# are exactly the ones the program has. Run at build time:
#   cmake -DPROGRAM=<exe> -DKIND=cli|gui -DTEMPLATE=<x.1.in> -DOUTPUT=<x.1> -DVERSION=<v> -DDATE=<yyyy-mm-dd> -P make_man.cmake
# The template's @HELP@ becomes the program's --help; for the CLI, @COMMANDS@ becomes one subsection per command
# with that command's full help (`maxstate help NAME`). Help text is set verbatim (.nf) with troff escapes.
cmake_minimum_required(VERSION 3.25)

foreach(var PROGRAM KIND TEMPLATE OUTPUT VERSION DATE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "make_man.cmake: -D${var}=... is required")
  endif()
endforeach()

# Runs the program (with no display: the GUI must print its help without one) and returns its stdout.
function(run_help out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=QT_QPA_PLATFORM
                          ${PROGRAM} ${ARGN}
                  OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "make_man.cmake: '${PROGRAM} ${ARGN}' failed (${rc}): ${err}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# Verbatim text in troff: backslashes and leading control characters escaped, '-' as a real minus so that
# options copied from the page work.
function(troff_verbatim out_var text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(REGEX REPLACE "\n+$" "" text "${text}")
  # Help is written for 80-column terminals: 2 columns of indent instead of the page's 7 keep it within them.
  set(${out_var} ".in -5n\n.nf\n${text}\n.fi\n.in" PARENT_SCOPE)
endfunction()

run_help(help_text --help)
troff_verbatim(HELP "${help_text}")

set(COMMANDS "")
if(KIND STREQUAL "cli")
  # The command table in `maxstate --help`: the lines between "Commands:" and the next empty line.
  string(REGEX MATCH "\nCommands:\n(([^\n]+\n)*)" table "${help_text}")
  # A "\n" before every line (no "^": CMake's MATCHALL would match "^" again after each match, mid-line).
  string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "\n${CMAKE_MATCH_1}")
  foreach(name IN LISTS names)
    string(STRIP "${name}" name)
    run_help(usage help ${name})
    troff_verbatim(usage "${usage}")
    string(APPEND COMMANDS ".SS ${name}\n${usage}\n")
  endforeach()
  if(COMMANDS STREQUAL "")
    set(COMMANDS "This build has no commands yet.\n")
  endif()
endif()

configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
