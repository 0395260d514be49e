using System.Diagnostics;
using System.Text;

namespace Gym.Envs.Gui.Desktop;

/// <summary>
/// Every process Gym starts for a display carries <c>GYM_GUI_TOKEN</c> (the display's) and <c>GYM_GUI_OWNER</c>
/// (this process's id) in its environment, and so do the children it forks: killing by token reaches an
/// application's helpers too, and a sweep finds what a crashed run left behind (an owner no longer alive).
/// </summary>
public static class OwnedProcesses
{
    /// <summary>The variable that names the display a process belongs to.</summary>
    public const string TokenVariable = "GYM_GUI_TOKEN";

    /// <summary>The variable that names the Gym process that started it.</summary>
    public const string OwnerVariable = "GYM_GUI_OWNER";

    /// <summary>The ids of live processes whose environment has <paramref name="variable"/>=<paramref name="value"/> (any value when null).</summary>
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

    /// <summary>Kills every process of display <paramref name="token"/> but <paramref name="except"/>, and waits (briefly) until they are gone.</summary>
    public static void KillDisplay(string token, params int[] except)
    {
        List<int> pids = [.. Find(TokenVariable, token).Select(p => p.Pid).Where(p => !except.Contains(p))];
        Kill(pids);
    }

    /// <summary>Kills what earlier Gym processes left running on their displays (their owner has exited).</summary>
    public static int SweepLeftovers()
    {
        List<int> orphans = [.. Find(OwnerVariable).Where(p => !int.TryParse(p.Value, out int owner) || !IsAlive(owner)).Select(p => p.Pid)];
        Kill(orphans);
        return orphans.Count;
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
        DateTime deadline = DateTime.UtcNow.AddSeconds(2);
        while (pids.Any(IsRunning) && DateTime.UtcNow < deadline)
            Thread.Sleep(5);
    }

    /// <summary>Whether process <paramref name="pid"/> exists.</summary>
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    // Alive and not a zombie waiting for its parent.
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
