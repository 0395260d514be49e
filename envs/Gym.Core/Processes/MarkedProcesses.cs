using System.Diagnostics;
using System.Text;

namespace Gym.Core.Processes;

/// <summary>
/// Processes found by a variable in their environment. Children inherit the environment, so a mark set on a program
/// Gym launches reaches every helper it forks, also those that leave its process tree (a browser's crash handler is
/// re-parented to init): ending a program means ending everything that carries its mark.
/// </summary>
public static class MarkedProcesses
{
    /// <summary>The ids of live processes whose environment has <paramref name="variable"/>=<paramref name="value"/> (any value when null), with the value.</summary>
    public static List<(int Pid, string Value)> Find(string variable, string? value = null)
    {
        List<(int, string)> found = [];
        byte[] prefix = Encoding.ASCII.GetBytes(variable + "=");
        int self = Environment.ProcessId;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self)
                continue;
            byte[] environ;
            try
            {
                environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours to read
            }
            foreach (Range entry in environ.AsSpan().Split((byte)0))
            {
                ReadOnlySpan<byte> text = environ.AsSpan(entry);
                if (!text.StartsWith(prefix))
                    continue;
                string v = Encoding.UTF8.GetString(text[prefix.Length..]);
                if (value is null || v == value)
                    found.Add((pid, v));
                break;
            }
        }
        return found;
    }

    /// <summary>
    /// Ends the processes marked <paramref name="variable"/>=<paramref name="value"/>: waits up to
    /// <paramref name="grace"/> for them to exit on their own (helpers follow their program's exit), then kills the rest.
    /// Returns how many had to be killed.
    /// </summary>
    public static async Task<int> EndAsync(string variable, string value, TimeSpan grace)
    {
        Stopwatch clock = Stopwatch.StartNew();
        List<int> left = Running(variable, value);
        while (left.Count > 0 && clock.Elapsed < grace)
        {
            await Task.Delay(10).ConfigureAwait(false);
            left = Running(variable, value);
        }
        Kill(left);
        return left.Count;
    }

    /// <summary>Kills <paramref name="pids"/> (SIGKILL) and waits up to 2 s for them to exit.</summary>
    public static void Kill(IReadOnlyCollection<int> pids)
    {
        foreach (int pid in pids)
        {
            try
            {
                using Process p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }
        WaitExited(pids, TimeSpan.FromSeconds(2));
    }

    /// <summary>Waits up to <paramref name="limit"/> until none of <paramref name="pids"/> is running; false when some still are.</summary>
    public static bool WaitExited(IReadOnlyCollection<int> pids, TimeSpan limit)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (pids.Any(IsRunning))
        {
            if (clock.Elapsed >= limit)
                return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>Whether process <paramref name="pid"/> exists (a zombie too).</summary>
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Whether process <paramref name="pid"/> is alive and not a zombie waiting for its parent.</summary>
    public static bool IsRunning(int pid) => Stat($"/proc/{pid}/stat") is [var state, ..] && state is not ("Z" or "X");

    /// <summary>
    /// The fields of a stat file (<c>/proc/PID/stat</c>, <c>/proc/PID/task/TID/stat</c>) after the command name,
    /// state first; null when the process is gone.
    /// </summary>
    public static string[]? Stat(string path)
    {
        try
        {
            string stat = File.ReadAllText(path);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<int> Running(string variable, string value) => [.. Find(variable, value).Select(p => p.Pid).Where(IsRunning)];
}
