// glibc's allocator (malloc_trim), for the print channel's renderers only (RendererPool, SpoolPreviews).
#include <malloc.h>
