// AtomicOutput: a file written under a temporary name in the target's directory and renamed
// over the target only by commit() after an fsync, so a reader never sees a partial file and a
// failed or interrupted write leaves no OUT behind (the destructor removes the temporary).
// Write failures are ResourceErrors naming the path.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace gossip::io {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  void write(const void* data, std::size_t bytes);  // buffered
  void commit();

 private:
  void flush();
  std::string path_, tmp_;
  int fd_ = -1;
  std::vector<char> buf_;
  bool committed_ = false;
};

}  // namespace gossip::io
