using System.Collections.Concurrent;
using TorchSharp;

namespace Gym.Models;

/// <summary>
/// Scalar operands for TorchSharp, interned for the life of the process. TorchSharp's operations pass a Scalar's
/// native handle to libtorch without keeping the Scalar reachable, so an implicit number-to-Scalar temporary can be
/// collected and finalized, which frees its native value, while libtorch is still to read it: a use-after-free that
/// ends the process (seen here once in hours of training, as a <c>masked_fill</c> failing inside
/// <c>Scalar::toFloat</c>). Interned Scalars are never collected. Gym passes every explicit scalar operand through
/// here; the values are a small set (constants and config values), so the tables stay small.
/// </summary>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>A floating-point Scalar.</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());

    /// <summary>An integer Scalar (keeps integer tensors integer).</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary>−∞, the logit of a token that may not be drawn.</summary>
    public static Scalar NegativeInfinity => Of(double.NegativeInfinity);
}
