using Gym.Torch.Interop;

namespace Gym.Torch.Nn;

/// <summary>The transformer operations, as functions of tensors (torch.nn.functional).</summary>
public static class Functional
{
    /// <summary>x W^T (+ b).</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        Tensor r = Tensor.FromHandle(NativeMethods.Linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        return r;
    }

    /// <summary>Rows of <paramref name="weight"/> picked by integer <paramref name="ids"/>.</summary>
    public static Tensor Embedding(Tensor weight, Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(ids);
        Tensor r = Tensor.FromHandle(NativeMethods.Embedding(weight.Handle, ids.Handle));
        GC.KeepAlive(weight);
        GC.KeepAlive(ids);
        return r;
    }

    /// <summary>RMS normalisation over the last dimension, scaled by <paramref name="weight"/> (Llama's RMSNorm).</summary>
    public static Tensor RmsNorm(Tensor input, Tensor weight, double eps)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        Tensor r = Tensor.FromHandle(NativeMethods.RmsNorm(input.Handle, weight.Handle, eps));
        GC.KeepAlive(input);
        GC.KeepAlive(weight);
        return r;
    }

    /// <summary>Rotary position embedding in the rotate-half layout: x cos + rotate_half(x) sin.</summary>
    public static Tensor Rotary(Tensor input, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        Tensor r = Tensor.FromHandle(NativeMethods.Rotary(input.Handle, cos.Handle, sin.Handle));
        GC.KeepAlive(input);
        GC.KeepAlive(cos);
        GC.KeepAlive(sin);
        return r;
    }

    /// <summary>
    /// softmax(q kᵀ · scale + mask) v over [batch, heads, length, head_dim]. Keys and values may have fewer heads
    /// (grouped-query attention). <paramref name="mask"/> is additive (float) or boolean (true attends); without a
    /// mask, <paramref name="causal"/> masks the future (aligned to the end when queries are fewer than keys).
    /// Uses libtorch's fused scaled_dot_product_attention when the version has it.
    /// </summary>
    public static Tensor Attention(Tensor query, Tensor key, Tensor value, Tensor? mask, bool causal, double? scale = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        double s = scale ?? 1.0 / Math.Sqrt(query.Size(-1));
        Tensor r = Tensor.FromHandle(NativeMethods.Attention(query.Handle, key.Handle, value.Handle, mask?.Handle ?? IntPtr.Zero, causal ? 1 : 0, s));
        GC.KeepAlive(query);
        GC.KeepAlive(key);
        GC.KeepAlive(value);
        GC.KeepAlive(mask);
        return r;
    }

    /// <summary>Mean cross entropy of logits [N, C] against class indices [N]; targets equal to <paramref name="ignoreIndex"/> are skipped.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, long ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        Tensor r = Tensor.FromHandle(NativeMethods.CrossEntropy(logits.Handle, targets.Handle, ignoreIndex));
        GC.KeepAlive(logits);
        GC.KeepAlive(targets);
        return r;
    }
}
