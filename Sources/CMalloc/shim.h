// glibc's allocator tuning (mallopt), for the gonggao executable's MemoryTuning only.
#include <malloc.h>
