using System.Runtime.InteropServices;

namespace Gym.Torch.Interop;

/// <summary>The C ABI of the shim (native/include/gym_torch.h). Callers check every result with Check.</summary>
internal static partial class NativeMethods
{
    private const string Library = "gym_torch";

    [LibraryImport(Library, EntryPoint = "gt_last_error")]
    private static partial IntPtr LastErrorPointer();

    /// <summary>The message of the last failed call on this thread.</summary>
    public static string LastError => Marshal.PtrToStringUTF8(LastErrorPointer()) ?? "unknown libtorch error";

    /// <summary>Turns a null handle into a <see cref="TorchException"/> carrying libtorch's message.</summary>
    public static IntPtr Check(IntPtr handle) => handle != IntPtr.Zero ? handle : throw new TorchException(LastError);

    /// <summary>Turns a failed status into a <see cref="TorchException"/> carrying libtorch's message.</summary>
    public static void Check(int status)
    {
        if (status != 0)
            throw new TorchException(LastError);
    }

    [LibraryImport(Library, EntryPoint = "gt_version")]
    private static partial IntPtr VersionPointer();

    public static string Version => Marshal.PtrToStringUTF8(VersionPointer()) ?? "";

    [LibraryImport(Library, EntryPoint = "gt_cuda_is_available")] public static partial int CudaIsAvailable();
    [LibraryImport(Library, EntryPoint = "gt_cuda_device_count")] public static partial int CudaDeviceCount();
    [LibraryImport(Library, EntryPoint = "gt_set_num_threads")] public static partial int SetNumThreads(int n);
    [LibraryImport(Library, EntryPoint = "gt_get_num_threads")] public static partial int GetNumThreads();
    [LibraryImport(Library, EntryPoint = "gt_manual_seed")] public static partial int ManualSeed(ulong seed);
    [LibraryImport(Library, EntryPoint = "gt_generator_new")] public static partial IntPtr GeneratorNew(ulong seed, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_generator_set_seed")] public static partial int GeneratorSetSeed(IntPtr g, ulong seed);
    [LibraryImport(Library, EntryPoint = "gt_generator_get_state")] public static partial int GeneratorGetState(IntPtr g, out IntPtr state);
    [LibraryImport(Library, EntryPoint = "gt_generator_set_state")] public static partial int GeneratorSetState(IntPtr g, IntPtr state);
    [LibraryImport(Library, EntryPoint = "gt_generator_free")] public static partial void GeneratorFree(IntPtr g);
    [LibraryImport(Library, EntryPoint = "gt_no_grad_enter")] public static partial int NoGradEnter();
    [LibraryImport(Library, EntryPoint = "gt_no_grad_exit")] public static partial int NoGradExit();
    [LibraryImport(Library, EntryPoint = "gt_is_grad_enabled")] public static partial int IsGradEnabled();
    [LibraryImport(Library, EntryPoint = "gt_cuda_synchronize")] public static partial int CudaSynchronize();
}
