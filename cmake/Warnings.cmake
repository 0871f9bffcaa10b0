# Warning flags shared by every target of ours (not by third-party code).
add_library(gossipsim_warnings INTERFACE)
target_compile_options(gossipsim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wno-unknown-pragmas)
