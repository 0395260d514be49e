using Spectre.Console;

namespace Gym.Cli;

/// <summary>Progress display: a live bar on a terminal, plain periodic lines otherwise (CI, pipes).</summary>
internal static class ConsoleUi
{
    /// <summary>True when a live progress bar can be drawn.</summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a progress reporter taking (done, total).</summary>
    public static async Task<T> WithProgressAsync<T>(string label, int total, Func<Action<int>, Task<T>> work)
    {
        if (Interactive)
        {
            T result = default!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    ProgressTask task = ctx.AddTask(Markup.Escape(label), maxValue: total);
                    result = await work(done => task.Value = done).ConfigureAwait(false);
                    task.Value = total;
                }).ConfigureAwait(false);
            return result;
        }
        int lastDecile = -1;
        T plain = await work(done =>
        {
            int decile = total == 0 ? 10 : done * 10 / total;
            if (decile > lastDecile)
            {
                lastDecile = decile;
                Console.WriteLine($"{label}: {done}/{total}");
            }
        }).ConfigureAwait(false);
        return plain;
    }
}
