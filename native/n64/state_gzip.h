// mupen64plus keeps save states as gzip files. These are the zlib calls the N64 host makes on them, all through
// the process's one zlib (see processZlib).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <zlib.h>

#include "private_library.h"

namespace rgym::n64 {

struct ZlibApi {
  int (*inflateInit2_)(z_streamp, int, const char*, int) = nullptr;
  int (*inflate)(z_streamp, int) = nullptr;
  int (*inflateEnd)(z_streamp) = nullptr;
  int (*deflateInit2_)(z_streamp, int, int, int, int, int, const char*, int) = nullptr;
  int (*deflate)(z_streamp, int) = nullptr;
  int (*deflateEnd)(z_streamp) = nullptr;
};

// The zlib of the process's global scope (Node's), else the one `core` depends on.
ZlibApi processZlib(const PrivateLibrary& core);

// Inflates a whole gzip stream into `out` (when given), up to `limit` bytes; false when it is not one, is cut
// short or inflates to more. The core's save worker may still be writing a file when it reports.
bool inflateGzip(const ZlibApi& z, const std::vector<uint8_t>& bytes, size_t limit, std::vector<uint8_t>* out);
inline bool wholeGzip(const ZlibApi& z, const std::vector<uint8_t>& bytes) {
  return inflateGzip(z, bytes, SIZE_MAX, nullptr);
}

// `data` as a gzip file of stored (uncompressed) blocks: mupen64plus only loads its states from gzip files, and
// storing costs a copy and a CRC where compressing 16 MiB would cost tens of milliseconds.
std::vector<uint8_t> gzipStored(const ZlibApi& z, const uint8_t* data, size_t size);

}  // namespace rgym::n64
