// A stand-in for libcuda.so.1 and libnvrtc.so for tests on machines without a GPU. It implements the
// driver and NVRTC calls the C# backend makes; "device memory" is host memory, "compiling" is a no-op,
// and cuLaunchKernel runs the real kernel sources from native/ on CPU threads (mg_host_emulation.h).
// It enforces what a real device would reject: more dynamic shared memory than the kernel was opted in
// for, unknown kernel names, and allocations beyond MG_FAKE_CUDA_MEMORY bytes in all or
// MG_FAKE_CUDA_MAX_ALLOCATION in one (CUDA_ERROR_OUT_OF_MEMORY).
#define MG_HOST_EMULATION 1
#include "../../../native/topk_stream.cu"
#include "../../../native/topk_mma.cu"
#include "../../../native/topk_merge.cu"
#include "../../../native/rerank.cu"
#include "../../../native/vectors.cu"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

thread_local mg_emu_block* mg_emu_current;
thread_local unsigned mg_emu_tid;
thread_local unsigned mg_emu_vote_round;
int mg_emu_sm = 90;

namespace {

struct Function {
    const char* name;
    void (*launch)(void* params, unsigned blocks, unsigned threads, unsigned shared);
    int max_shared = 48 * 1024;
};

template <typename P, void (*Kernel)(P)>
void run(void* params, unsigned blocks, unsigned threads, unsigned shared_bytes)
{
    P p;
    std::memcpy(&p, params, sizeof p);
    unsigned warps = threads / 32;
    for (unsigned b = 0; b < blocks; b++)
    {
        // Shared memory starts as garbage on a GPU; fill it so reads before writes show up. 16-byte words: the
        // dynamic shared window of a GPU is at least that aligned, and the kernels' vector loads rely on it.
        struct alignas(16) word { unsigned long long low, high; };
        std::vector<word> shared(shared_bytes / 16 + 1, word{0xCDCDCDCDCDCDCDCDull, 0xCDCDCDCDCDCDCDCDull});
        std::vector<float> shuffle(warps * 32);
        std::vector<mg_u32> fragments(warps * 32 * 6);
        mg_emu_barrier barrier(threads);
        std::vector<std::unique_ptr<mg_emu_barrier>> warp_owned;
        std::vector<mg_emu_barrier*> warp_barriers;
        for (unsigned w = 0; w < warps; w++) { warp_owned.emplace_back(new mg_emu_barrier(32)); warp_barriers.push_back(warp_owned.back().get()); }
        std::atomic<int> votes[3] = {0, 0, 0};
        mg_emu_block block{b, blocks, threads, shared.data(), &barrier, warp_barriers.data(), votes, shuffle.data(), fragments.data()};
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; t++)
            pool.emplace_back([&block, t, &p] { mg_emu_current = &block; mg_emu_tid = t; mg_emu_vote_round = 0; Kernel(p); });
        for (auto& thread : pool) thread.join();
    }
}

Function functions[] = {
    {"mg_topk_stream", run<mg_search_params, mg_topk_stream>},
    {"mg_topk_mma", run<mg_search_params, mg_topk_mma>},
    {"mg_topk_mma_large", run<mg_search_params, mg_topk_mma_large>},
    {"mg_topk_mma_wide", run<mg_search_params, mg_topk_mma_wide>},
    {"mg_topk_merge", run<mg_merge_params, mg_topk_merge>},
    {"mg_rerank", run<mg_rerank_params, mg_rerank>},
    {"mg_normalize_rows", run<mg_rows_params, mg_normalize_rows>},
    {"mg_convert_f32_to_f16", run<mg_rows_params, mg_convert_f32_to_f16>},
};

std::mutex memory_mutex;
std::unordered_map<uintptr_t, size_t> allocations;
size_t allocated = 0;

size_t memory_limit()
{
    const char* configured = std::getenv("MG_FAKE_CUDA_MEMORY");
    return configured ? std::strtoull(configured, nullptr, 10) : (size_t)4 << 30;
}

} // namespace

extern "C" {

static int fake_sm()
{
    const char* configured = std::getenv("MG_FAKE_CUDA_SM");
    return configured ? std::atoi(configured) : 90;
}

int cuInit(unsigned) { mg_emu_sm = fake_sm(); return 0; }
int cuDriverGetVersion(int* v) { *v = 12080; return 0; }
int cuDeviceGetCount(int* n) { *n = 1; return 0; }
int cuDeviceGet(int* d, int ordinal) { if (ordinal != 0) return 101; *d = 0; return 0; }
int cuDeviceGetName(char* name, int length, int) { std::snprintf(name, length, "MediaGateway emulated GPU"); return 0; }
int cuDeviceGetAttribute(int* value, int attribute, int)
{
    switch (attribute)
    {
        case 16: *value = 2; return 0;               // multiprocessors: few, so tests get several blocks per slab
        case 36: *value = 2619000; return 0;         // memory clock, kHz
        case 37: *value = 5120; return 0;            // bus width, bits
        // sm_90 unless MG_FAKE_CUDA_SM says otherwise (e.g. 75: a T4, which has no m16n8k16 tensor-core MMA).
        case 75: *value = fake_sm() / 10; return 0;
        case 76: *value = fake_sm() % 10; return 0;
        case 97: *value = fake_sm() >= 80 ? 232448 : 65536; return 0;   // shared memory opt-in per block
        default: return 1;
    }
}
int cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = memory_limit(); return 0; }
int cuDevicePrimaryCtxRetain(void** context, int) { *context = (void*)0x1; return 0; }
int cuDevicePrimaryCtxRelease_v2(int) { return 0; }
int cuCtxSetCurrent(void*) { return 0; }
int cuCtxSynchronize(void) { return 0; }
int cuModuleLoadData(void** module, const void* image) { if (!image) return 1; *module = (void*)0x2; return 0; }
int cuModuleUnload(void*) { return 0; }
int cuModuleGetFunction(void** function, void*, const char* name)
{
    for (auto& f : functions)
        if (std::strcmp(f.name, name) == 0) { *function = &f; return 0; }
    return 500;
}
int cuFuncSetAttribute(void* function, int attribute, int value)
{
    if (attribute != 8) return 1;
    if (value > 232448) return 1;
    static_cast<Function*>(function)->max_shared = value;
    return 0;
}
// Events: the emulator runs every launch and copy before returning, so an event's time is when it was recorded.
int cuEventCreate(void** event, unsigned) { *event = new std::chrono::steady_clock::time_point(); return 0; }
int cuEventRecord(void* event, void*)
{
    *static_cast<std::chrono::steady_clock::time_point*>(event) = std::chrono::steady_clock::now();
    return 0;
}
int cuEventElapsedTime(float* ms, void* start, void* end)
{
    auto from = *static_cast<std::chrono::steady_clock::time_point*>(start), to = *static_cast<std::chrono::steady_clock::time_point*>(end);
    *ms = std::chrono::duration<float, std::milli>(to - from).count();
    return 0;
}
int cuEventDestroy_v2(void* event) { delete static_cast<std::chrono::steady_clock::time_point*>(event); return 0; }
// Blocks per SM as a GPU with 2,048 threads and 228 KiB of shared memory per SM (1 KiB reserved per block) would
// run them; registers are not modelled.
int cuOccupancyMaxActiveBlocksPerMultiprocessor(int* blocks, void* function, int block_size, size_t shared_bytes)
{
    if (!function || block_size <= 0) return 1;
    int by_threads = 2048 / block_size;
    int by_shared = (int)(233472 / (shared_bytes + 1024));
    *blocks = by_threads < by_shared ? by_threads : by_shared;
    return 0;
}
int cuMemAlloc_v2(uintptr_t* pointer, size_t bytes)
{
    std::lock_guard<std::mutex> lock(memory_mutex);
    // MG_FAKE_CUDA_MAX_ALLOCATION: the largest single allocation, as on a fragmented device.
    const char* largest = std::getenv("MG_FAKE_CUDA_MAX_ALLOCATION");
    if (largest && bytes > std::strtoull(largest, nullptr, 10)) return 2;
    if (allocated + bytes > memory_limit()) return 2;
    void* p = std::malloc(bytes);
    if (!p) return 2;
    std::memset(p, 0xAB, bytes);   // device memory is not zeroed either
    allocations[(uintptr_t)p] = bytes;
    allocated += bytes;
    *pointer = (uintptr_t)p;
    return 0;
}
int cuMemFree_v2(uintptr_t pointer)
{
    std::lock_guard<std::mutex> lock(memory_mutex);
    auto it = allocations.find(pointer);
    if (it == allocations.end()) return 1;
    allocated -= it->second;
    allocations.erase(it);
    std::free((void*)pointer);
    return 0;
}
int cuMemGetInfo_v2(size_t* free_bytes, size_t* total)
{
    std::lock_guard<std::mutex> lock(memory_mutex);
    *total = memory_limit();
    *free_bytes = *total - allocated;
    return 0;
}
int cuMemcpyHtoD_v2(uintptr_t destination, const void* source, size_t bytes) { std::memcpy((void*)destination, source, bytes); return 0; }
int cuMemcpyDtoH_v2(void* destination, uintptr_t source, size_t bytes) { std::memcpy(destination, (const void*)source, bytes); return 0; }
int cuMemcpyDtoD_v2(uintptr_t destination, uintptr_t source, size_t bytes) { std::memmove((void*)destination, (const void*)source, bytes); return 0; }
int cuStreamCreate(void** stream, unsigned) { *stream = (void*)0x3; return 0; }
int cuStreamDestroy_v2(void*) { return 0; }
int cuStreamSynchronize(void*) { return 0; }
int cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void*, void** params, void** extra)
{
    auto* f = static_cast<Function*>(function);
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || extra || !params || bx == 0 || bx > 1024 || bx % 32 != 0) return 1;
    if ((int)shared > f->max_shared) return 701;   // CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, as a device would answer
    f->launch(params[0], gx, bx, shared);
    return 0;
}
int cuGetErrorName(int result, const char** name)
{
    switch (result)
    {
        case 0: *name = "CUDA_SUCCESS"; return 0;
        case 1: *name = "CUDA_ERROR_INVALID_VALUE"; return 0;
        case 2: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
        case 500: *name = "CUDA_ERROR_NOT_FOUND"; return 0;
        case 701: *name = "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"; return 0;
        default: return 1;
    }
}
int cuGetErrorString(int result, const char** text)
{
    switch (result)
    {
        case 2: *text = "out of memory"; return 0;
        case 701: *text = "too many resources requested for launch"; return 0;
        default: *text = "(emulated driver)"; return 0;
    }
}

// NVRTC: "compiles" by checking the options the backend must pass, and returns a marker image.
struct FakeProgram { std::string name; bool compiled = false; };
int nvrtcVersion(int* major, int* minor) { *major = 12; *minor = 8; return 0; }
int nvrtcCreateProgram(void** program, const char* source, const char* name, int, const char* const*, const char* const*)
{
    if (!source || !name) return 3;
    *program = new FakeProgram{name};
    return 0;
}
int nvrtcDestroyProgram(void** program) { delete static_cast<FakeProgram*>(*program); *program = nullptr; return 0; }
// The -D options this emulator's kernels were built with (build-fake-cuda.sh DIR NAME=VALUE ...), space-separated.
#ifndef MG_FAKE_KERNEL_DEFINES
#define MG_FAKE_KERNEL_DEFINES ""
#endif
int nvrtcCompileProgram(void* program, int count, const char* const* options)
{
    bool arch = false;
    char expected[32];
    std::snprintf(expected, sizeof expected, "--gpu-architecture=sm_%d", fake_sm());
    std::string defines;
    for (int i = 0; i < count; i++)
    {
        arch |= std::strcmp(options[i], expected) == 0;
        if (std::strncmp(options[i], "-D", 2) == 0) defines += (defines.empty() ? "" : " ") + std::string(options[i]);
    }
    if (!arch) return 5;   // NVRTC_ERROR_INVALID_OPTION: the backend must target the device's own arch
    // The kernels that run are the ones compiled into this library: a backend asking for other -D options (or none,
    // where these were built with some) would be told it runs kernels it does not.
    if (defines != MG_FAKE_KERNEL_DEFINES)
    {
        std::fprintf(stderr, "fake nvrtc: asked for defines \"%s\", built with \"%s\"\n", defines.c_str(), MG_FAKE_KERNEL_DEFINES);
        return 5;
    }
    static_cast<FakeProgram*>(program)->compiled = true;
    return 0;
}
int nvrtcGetProgramLogSize(void*, size_t* size) { *size = 1; return 0; }
int nvrtcGetProgramLog(void*, char* log) { log[0] = 0; return 0; }
int nvrtcGetCUBINSize(void* program, size_t* size) { *size = static_cast<FakeProgram*>(program)->name.size() + 5; return 0; }
int nvrtcGetCUBIN(void* program, char* image)
{
    auto* p = static_cast<FakeProgram*>(program);
    if (!p->compiled) return 4;
    std::memcpy(image, "FAKE:", 5);
    std::memcpy(image + 5, p->name.data(), p->name.size());
    return 0;
}
const char* nvrtcGetErrorString(int result) { return result == 5 ? "NVRTC_ERROR_INVALID_OPTION" : "NVRTC_ERROR (emulated)"; }

} // extern "C"
