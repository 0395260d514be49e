using System.Diagnostics;
using Gym.Trainer.Advantages;

namespace Gym.Bench;

/// <summary>GiGPO over 100,000 step rows: 1,250 groups of 8 trajectories of 10 steps, anchors drawn from 16 states per group.</summary>
internal static class AdvantageBenchmark
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        StepTable table = new(rows);
        Random random = new(1);
        for (int i = 0; i < rows; i++)
        {
            int trajectory = i / 10;
            table.Trajectory[i] = trajectory;
            table.Group[i] = trajectory / 8;
            table.Anchor[i] = random.Next(16);
            table.Reward[i] = random.Next(10) == 0 ? -0.1 : 0;
        }
        for (int i = 0; i < rows; i++)
            table.EpisodeReward[i] = table.Trajectory[i] % 3 == 0 ? 1 : 0;
        double best = double.MaxValue;
        double checksum = 0;
        for (int r = 0; r < 20; r++)
        {
            Stopwatch clock = Stopwatch.StartNew();
            double[] a = GiGpo.Compute(table, 0.95, Normalization.MeanStd, GroupStatistics.AcrossSteps);
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            checksum = a.Sum();
        }
        Console.WriteLine($"gym GiGPO: {rows} step rows in {best:0.00} ms (best of 20; checksum {checksum:0.000})");
        return 0;
    }
}
