// posts_fixture OUT.h5 [--lifetime L] [--no-arrivals] [--no-names]: writes the made-up posts run
// of tests/posts_fixture.hpp through the real HDF5 writer, for the CLI tests of `gossipsim
// timeline`, tools/gossip_h5.py and tools/plot_posts.py (tests/cli/test_posts.py).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "posts_fixture.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: posts_fixture OUT.h5 [--lifetime L] [--no-arrivals] [--no-names]\n");
    return 2;
  }
  gossip::Round lifetime = 0;
  bool arrivals = true, names = true;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lifetime" && i + 1 < argc) lifetime = std::atoi(argv[++i]);
    else if (a == "--no-arrivals") arrivals = false;
    else if (a == "--no-names") names = false;
    else {
      std::fprintf(stderr, "posts_fixture: unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  gossip::test::PostsFixture{}.write(argv[1], lifetime, arrivals, names);
  return 0;
}
