#pragma once
// Reading one zip entry's bytes in bounded chunks: stored entries straight from the source, deflated ones
// inflated with an output that never exceeds the size the entry declares (so a bomb cannot allocate more than
// the checks before it allowed), the CRC-32 computed over everything produced.
#include <cstdint>
#include <functional>
#include <memory>

#include "checkpoint/byte_source.h"
#include "checkpoint/storage_data.h"
#include "checkpoint/zip_archive.h"

namespace maxstate::detail {

// Method, stored sizes and compression ratio plausible: Error(BadFile) otherwise. Reads nothing.
void checkSizes(const ZipEntry& entry);

// Streams the entry's uncompressed bytes (exactly entry.size of them, else Error(BadFile)) to `sink` in
// chunks; returns their CRC-32. `start` is where the entry's data begins in the source.
uint32_t streamEntry(const ByteSource& source, const ZipEntry& entry, uint64_t start,
                     const std::function<void(const char*, size_t)>& sink);

// Error(BadFile) unless `crc` is the entry's CRC-32 (not checked in fuzzing builds).
void checkCrc(const ZipEntry& entry, uint32_t crc);

// A storage entry to be read later, checked each time it is read (same file version, CRC-32).
std::shared_ptr<const StorageData> zipStorage(std::shared_ptr<const ByteSource> source, const ZipEntry& entry,
                                              uint64_t start);

uint32_t crcOf(const char* data, uint64_t size, uint32_t crc = 0);

}  // namespace maxstate::detail
