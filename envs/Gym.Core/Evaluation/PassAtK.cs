namespace Gym.Core.Evaluation;

/// <summary>Estimators of success over k tries from n samples of which c succeeded.</summary>
public static class PassAtK
{
    /// <summary>
    /// The unbiased pass@k of Chen et al. (2021): the chance that at least one of k samples drawn without
    /// replacement from the n succeeds, 1 - C(n-c, k) / C(n, k).
    /// </summary>
    public static double PassAt(int n, int c, int k)
    {
        Check(n, c, k);
        if (n - c < k)
            return 1.0;
        double failAll = 1.0;
        for (int i = n - c + 1; i <= n; i++)
            failAll *= 1.0 - (double)k / i;
        return 1.0 - failAll;
    }

    /// <summary>pass^k of tau-bench: the chance that all of k samples drawn from the n succeed, C(c, k) / C(n, k).</summary>
    public static double PassHat(int n, int c, int k)
    {
        Check(n, c, k);
        if (c < k)
            return 0.0;
        double all = 1.0;
        for (int i = 0; i < k; i++)
            all *= (double)(c - i) / (n - i);
        return all;
    }

    private static void Check(int n, int c, int k)
    {
        if (n < 1 || c < 0 || c > n || k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), $"pass@k needs 1 <= k <= n and 0 <= c <= n (n={n}, c={c}, k={k}).");
    }
}
