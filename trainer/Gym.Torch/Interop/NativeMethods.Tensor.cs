using System.Runtime.InteropServices;

namespace Gym.Torch.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "gt_tensor_free")] public static partial void TensorFree(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_empty")] public static partial IntPtr Empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_zeros")] public static partial IntPtr Zeros(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_ones")] public static partial IntPtr Ones(long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_full")] public static partial IntPtr Full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_arange")] public static partial IntPtr Arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_randn")] public static partial IntPtr Randn(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, IntPtr generator);
    [LibraryImport(Library, EntryPoint = "gt_rand")] public static partial IntPtr Rand(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, IntPtr generator);
    [LibraryImport(Library, EntryPoint = "gt_from_host")] public static partial IntPtr FromHost(void* data, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_to_host")] public static partial int ToHost(IntPtr t, void* data, long bytes);
    [LibraryImport(Library, EntryPoint = "gt_data_ptr")] public static partial IntPtr DataPtr(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_dim")] public static partial int Dim(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_shape")] public static partial int Shape(IntPtr t, long* output, int capacity);
    [LibraryImport(Library, EntryPoint = "gt_dtype")] public static partial int DType(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_device")] public static partial int Device(IntPtr t, out int type, out int index);
    [LibraryImport(Library, EntryPoint = "gt_numel")] public static partial long NumElements(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_is_contiguous")] public static partial int IsContiguous(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_item_double")] public static partial int ItemDouble(IntPtr t, out double value);
    [LibraryImport(Library, EntryPoint = "gt_item_int64")] public static partial int ItemInt64(IntPtr t, out long value);
    [LibraryImport(Library, EntryPoint = "gt_to")] public static partial IntPtr To(IntPtr t, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library, EntryPoint = "gt_contiguous")] public static partial IntPtr Contiguous(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_clone")] public static partial IntPtr Clone(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_detach")] public static partial IntPtr Detach(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_reshape")] public static partial IntPtr Reshape(IntPtr t, long* shape, int ndim);
    [LibraryImport(Library, EntryPoint = "gt_view")] public static partial IntPtr View(IntPtr t, long* shape, int ndim);
    [LibraryImport(Library, EntryPoint = "gt_transpose")] public static partial IntPtr Transpose(IntPtr t, long d0, long d1);
    [LibraryImport(Library, EntryPoint = "gt_permute")] public static partial IntPtr Permute(IntPtr t, long* dims, int ndim);
    [LibraryImport(Library, EntryPoint = "gt_unsqueeze")] public static partial IntPtr Unsqueeze(IntPtr t, long dim);
    [LibraryImport(Library, EntryPoint = "gt_squeeze")] public static partial IntPtr Squeeze(IntPtr t, long dim);
    [LibraryImport(Library, EntryPoint = "gt_expand")] public static partial IntPtr Expand(IntPtr t, long* shape, int ndim);
    [LibraryImport(Library, EntryPoint = "gt_narrow")] public static partial IntPtr Narrow(IntPtr t, long dim, long start, long length);
    [LibraryImport(Library, EntryPoint = "gt_select")] public static partial IntPtr Select(IntPtr t, long dim, long index);
    [LibraryImport(Library, EntryPoint = "gt_index_select")] public static partial IntPtr IndexSelect(IntPtr t, long dim, IntPtr index);
    [LibraryImport(Library, EntryPoint = "gt_cat")] public static partial IntPtr Cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Library, EntryPoint = "gt_stack")] public static partial IntPtr Stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Library, EntryPoint = "gt_copy_")] public static partial int CopyInPlace(IntPtr dst, IntPtr src);
    [LibraryImport(Library, EntryPoint = "gt_fill_")] public static partial int FillInPlace(IntPtr t, double value);
}
