#include "state_gzip.h"

#include <dlfcn.h>

#include "../errors.h"

namespace rgym::n64 {

// One zlib for all of our calls: the one the process's global scope offers (Node's own, which Node exports), else
// the core's dependency. Taking inflateInit2_ from the core's libz while Node exports its own zlib mixes the two:
// libz's inflateInit2_ calls inflateReset2 through its PLT, which binds to Node's, whose larger inflate state then
// overruns the one libz allocated (valgrind: invalid write in inflateReset2; heap corruption seen as a double free).
ZlibApi processZlib(const PrivateLibrary& core) {
  const char* const names[] = {"inflateInit2_", "inflate", "inflateEnd", "deflateInit2_", "deflate", "deflateEnd"};
  bool global = true;
  for (const char* name : names) global = global && ::dlsym(RTLD_DEFAULT, name) != nullptr;
  auto find = [&](const char* name) { return global ? ::dlsym(RTLD_DEFAULT, name) : core.symbol<void*>(name); };
  ZlibApi z;
  z.inflateInit2_ = reinterpret_cast<decltype(z.inflateInit2_)>(find("inflateInit2_"));
  z.inflate = reinterpret_cast<decltype(z.inflate)>(find("inflate"));
  z.inflateEnd = reinterpret_cast<decltype(z.inflateEnd)>(find("inflateEnd"));
  z.deflateInit2_ = reinterpret_cast<decltype(z.deflateInit2_)>(find("deflateInit2_"));
  z.deflate = reinterpret_cast<decltype(z.deflate)>(find("deflate"));
  z.deflateEnd = reinterpret_cast<decltype(z.deflateEnd)>(find("deflateEnd"));
  return z;
}

bool inflateGzip(const ZlibApi& z, const std::vector<uint8_t>& bytes, size_t limit, std::vector<uint8_t>* out) {
  if (bytes.size() < 18) return false;
  z_stream stream{};
  if (z.inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, static_cast<int>(sizeof(z_stream))) != Z_OK) return false;
  std::vector<uint8_t> chunk(1 << 16);
  stream.next_in = const_cast<Bytef*>(bytes.data());
  stream.avail_in = static_cast<uInt>(bytes.size());
  int result = Z_OK;
  size_t total = 0;
  while (result == Z_OK && total <= limit) {
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = z.inflate(&stream, Z_NO_FLUSH);
    const size_t produced = chunk.size() - stream.avail_out;
    if (out != nullptr && total + produced <= limit) out->insert(out->end(), chunk.data(), chunk.data() + produced);
    total += produced;
  }
  z.inflateEnd(&stream);
  return result == Z_STREAM_END && total <= limit;
}


std::vector<uint8_t> gzipStored(const ZlibApi& z, const uint8_t* data, size_t size) {
  z_stream stream{};
  if (z.deflateInit2_(&stream, Z_NO_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                      static_cast<int>(sizeof(z_stream))) != Z_OK) {
    throw EmulatorError("STATE_INVALID", "zlib could not start a gzip stream");
  }
  // Stored blocks add 5 bytes per 16 KiB or more; the gzip wrapper 18.
  std::vector<uint8_t> out(size + size / 1024 + 64);
  stream.next_in = const_cast<Bytef*>(data);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = z.deflate(&stream, Z_FINISH);
  out.resize(out.size() - stream.avail_out);
  z.deflateEnd(&stream);
  if (result != Z_STREAM_END) throw EmulatorError("STATE_INVALID", "zlib could not write the state as gzip");
  return out;
}

}  // namespace rgym::n64
