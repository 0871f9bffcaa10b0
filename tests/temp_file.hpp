// A file under the temp directory with given contents, removed when the object dies.
#pragma once
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace gossip::test {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text, const std::string& suffix = ".toml") {
    static std::atomic<int> counter{0};
    path = (std::filesystem::temp_directory_path() /
            ("gossipsim_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix))
               .string();
    std::ofstream(path) << text;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::filesystem::remove(path); }
};

}  // namespace gossip::test
