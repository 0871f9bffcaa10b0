# The git sha baked into --version (refreshed at configure time; "unknown" outside a checkout).
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
  OUTPUT_VARIABLE GOSSIPSIM_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT GOSSIPSIM_GIT_SHA)
  set(GOSSIPSIM_GIT_SHA "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
  OUTPUT_VARIABLE _gs_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_gs_dirty)
  string(APPEND GOSSIPSIM_GIT_SHA "-dirty")
endif()
