#include "io/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace gossip::io {
namespace {
constexpr std::size_t kBuffer = std::size_t{4} << 20;
}

AtomicOutput::AtomicOutput(std::string path) : path_(std::move(path)) {
  std::filesystem::path p(path_);
  tmp_ = (p.parent_path() / ("." + p.filename().string() + ".tmp.XXXXXX")).string();
  fd_ = ::mkstemp(tmp_.data());
  if (fd_ < 0) throw ResourceError(path_ + ": cannot create the output: " + std::strerror(errno));
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; give the file the usual 0666 & ~umask
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  buf_.reserve(kBuffer);
}

AtomicOutput::~AtomicOutput() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_.c_str());
}

void AtomicOutput::flush() {
  const char* p = buf_.data();
  std::size_t left = buf_.size();
  while (left > 0) {
    const ssize_t w = ::write(fd_, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw ResourceError(path_ + ": cannot write: " + std::strerror(w < 0 ? errno : EIO));
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  buf_.clear();
}

void AtomicOutput::write(const void* data, std::size_t bytes) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const std::size_t take = std::min(bytes, kBuffer - buf_.size());
    buf_.insert(buf_.end(), p, p + take);
    p += take;
    bytes -= take;
    if (buf_.size() == kBuffer) flush();
  }
}

void AtomicOutput::commit() {
  flush();
  if (::fsync(fd_) != 0) throw ResourceError(path_ + ": cannot sync: " + std::strerror(errno));
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw ResourceError(path_ + ": cannot close: " + std::strerror(errno));
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw ResourceError(path_ + ": cannot rename the finished output into place: " + std::strerror(errno));
  committed_ = true;
}

}  // namespace gossip::io
