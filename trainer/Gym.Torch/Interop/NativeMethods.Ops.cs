using System.Runtime.InteropServices;

namespace Gym.Torch.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "gt_binary")] public static partial IntPtr Binary(int op, IntPtr a, IntPtr b);
    [LibraryImport(Library, EntryPoint = "gt_binary_scalar")] public static partial IntPtr BinaryScalar(int op, IntPtr a, double b);
    [LibraryImport(Library, EntryPoint = "gt_unary")] public static partial IntPtr Unary(int op, IntPtr a);
    [LibraryImport(Library, EntryPoint = "gt_add_scaled")] public static partial IntPtr AddScaled(IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Library, EntryPoint = "gt_pow_scalar")] public static partial IntPtr PowScalar(IntPtr a, double exponent);
    [LibraryImport(Library, EntryPoint = "gt_clamp")] public static partial IntPtr Clamp(IntPtr a, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Library, EntryPoint = "gt_clamp_tensor")] public static partial IntPtr ClampTensor(IntPtr a, IntPtr min, IntPtr max);
    [LibraryImport(Library, EntryPoint = "gt_where")] public static partial IntPtr Where(IntPtr condition, IntPtr a, IntPtr b);
    [LibraryImport(Library, EntryPoint = "gt_masked_fill")] public static partial IntPtr MaskedFill(IntPtr a, IntPtr mask, double value);
    [LibraryImport(Library, EntryPoint = "gt_matmul")] public static partial IntPtr Matmul(IntPtr a, IntPtr b);
    [LibraryImport(Library, EntryPoint = "gt_linear")] public static partial IntPtr Linear(IntPtr x, IntPtr weight, IntPtr bias);
    [LibraryImport(Library, EntryPoint = "gt_reduce")] public static partial IntPtr Reduce(int op, IntPtr a, long* dims, int ndims, int keepdim);
    [LibraryImport(Library, EntryPoint = "gt_reduce_all")] public static partial IntPtr ReduceAll(int op, IntPtr a);
    [LibraryImport(Library, EntryPoint = "gt_max_dim")] public static partial int MaxDim(IntPtr a, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [LibraryImport(Library, EntryPoint = "gt_argmax")] public static partial IntPtr Argmax(IntPtr a, long dim, int keepdim);
    [LibraryImport(Library, EntryPoint = "gt_softmax")] public static partial IntPtr Softmax(IntPtr a, long dim);
    [LibraryImport(Library, EntryPoint = "gt_log_softmax")] public static partial IntPtr LogSoftmax(IntPtr a, long dim);
    [LibraryImport(Library, EntryPoint = "gt_gather")] public static partial IntPtr Gather(IntPtr a, long dim, IntPtr index);
    [LibraryImport(Library, EntryPoint = "gt_cumsum")] public static partial IntPtr Cumsum(IntPtr a, long dim);
    [LibraryImport(Library, EntryPoint = "gt_topk")] public static partial int TopK(IntPtr a, long k, long dim, int largest, out IntPtr values, out IntPtr indices);
    [LibraryImport(Library, EntryPoint = "gt_sort")] public static partial int Sort(IntPtr a, long dim, int descending, out IntPtr values, out IntPtr indices);
    [LibraryImport(Library, EntryPoint = "gt_multinomial")] public static partial IntPtr Multinomial(IntPtr probabilities, long n, int replacement, IntPtr generator);
    [LibraryImport(Library, EntryPoint = "gt_tril")] public static partial IntPtr Tril(IntPtr a, long diagonal);
    [LibraryImport(Library, EntryPoint = "gt_triu")] public static partial IntPtr Triu(IntPtr a, long diagonal);
    [LibraryImport(Library, EntryPoint = "gt_allclose")] public static partial int AllClose(IntPtr a, IntPtr b, double rtol, double atol, out int result);

    [LibraryImport(Library, EntryPoint = "gt_embedding")] public static partial IntPtr Embedding(IntPtr weight, IntPtr ids);
    [LibraryImport(Library, EntryPoint = "gt_rms_norm")] public static partial IntPtr RmsNorm(IntPtr x, IntPtr weight, double eps);
    [LibraryImport(Library, EntryPoint = "gt_silu")] public static partial IntPtr Silu(IntPtr x);
    [LibraryImport(Library, EntryPoint = "gt_rotary")] public static partial IntPtr Rotary(IntPtr x, IntPtr cos, IntPtr sin);
    [LibraryImport(Library, EntryPoint = "gt_attention")] public static partial IntPtr Attention(IntPtr q, IntPtr k, IntPtr v, IntPtr mask, int causal, double scale);
    [LibraryImport(Library, EntryPoint = "gt_cross_entropy")] public static partial IntPtr CrossEntropy(IntPtr logits, IntPtr targets, long ignoreIndex);
    [LibraryImport(Library, EntryPoint = "gt_has_fused_attention")] public static partial int HasFusedAttention();

    [LibraryImport(Library, EntryPoint = "gt_set_requires_grad")] public static partial int SetRequiresGrad(IntPtr t, int requires);
    [LibraryImport(Library, EntryPoint = "gt_requires_grad")] public static partial int RequiresGrad(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_backward")] public static partial int Backward(IntPtr t, IntPtr grad, int retainGraph);
    [LibraryImport(Library, EntryPoint = "gt_grad")] public static partial int Grad(IntPtr t, out IntPtr grad);
    [LibraryImport(Library, EntryPoint = "gt_zero_grad")] public static partial int ZeroGrad(IntPtr t);
    [LibraryImport(Library, EntryPoint = "gt_is_leaf")] public static partial int IsLeaf(IntPtr t);

    [LibraryImport(Library, EntryPoint = "gt_adamw_step")]
    public static partial int AdamWStep(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, int n, long step, double lr, double beta1, double beta2, double eps, double weightDecay);
    [LibraryImport(Library, EntryPoint = "gt_clip_grad_norm")] public static partial int ClipGradNorm(IntPtr* parameters, int n, double maxNorm, out double totalNorm);
    [LibraryImport(Library, EntryPoint = "gt_grad_norm")] public static partial int GradNorm(IntPtr* parameters, int n, out double totalNorm);
    [LibraryImport(Library, EntryPoint = "gt_all_finite")] public static partial int AllFinite(IntPtr* tensors, int n, out int result);
}
