using System.Buffers;
using System.Diagnostics;
using MessagePack;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Text;

namespace Gym.Bench;

/// <summary>
/// Encode and decode throughput of one large trajectory file: Gym's episode codec on MessagePack-CSharp (typed
/// episodes) against @msgpack/msgpack on the same bytes (bench/msgpack_bench.mjs).
/// </summary>
internal static class MessagePackBenchmark
{
    /// <summary>Writes a trajectory file of real household episodes (random agent, long observations).</summary>
    public static int WriteData(string[] args)
    {
        string path = args[0];
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
        EnvRegistry registry = new EnvRegistry().AddTextEnvironments();
        string tasksRoot = Path.Combine(FindRoot(), "tasks");
        TaskSuite suite = TaskSuiteLoader.Load("text/household", tasksRoot, registry.Contains);
        File.Delete(path);
        using TrajectoryWriter writer = TrajectoryWriter.Open(path);
        RolloutRunner runner = new(registry, new RandomTextAgent(), new RolloutOptions { GroupSize = repeats });
        foreach (EpisodeGroup group in runner.RunAsync(suite.Split("train")).ToBlockingEnumerable())
        {
            foreach (Episode e in group.Episodes)
                writer.Append(e);
        }
        Console.WriteLine($"wrote {writer.Count} episodes, {new FileInfo(path).Length / 1e6:0.0} MB to {path}");
        return 0;
    }

    public static int Run(string[] args)
    {
        string path = args[0];
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        List<byte[]> bodies = ReadBodies(path);
        long totalBytes = bodies.Sum(b => (long)b.Length);
        Measure("gym msgpack (MessagePack-CSharp)", bodies, totalBytes, repeats,
            body => { MessagePackReader reader = new(body); return EpisodeCodec.Read(ref reader); },
            (buffer, episode) => { MessagePackWriter writer = new(buffer); EpisodeCodec.Write(ref writer, episode); writer.Flush(); });
        return 0;
    }

    private static void Measure(string name, List<byte[]> bodies, long totalBytes, int repeats, Func<byte[], Episode> decode, Action<ArrayBufferWriter<byte>, Episode> encode)
    {
        Episode[] episodes = new Episode[bodies.Count];
        double bestDecode = double.MaxValue, bestEncode = double.MaxValue;
        ArrayBufferWriter<byte> buffer = new(1 << 20);
        for (int r = 0; r < repeats + 1; r++)
        {
            Stopwatch clock = Stopwatch.StartNew();
            for (int i = 0; i < bodies.Count; i++)
                episodes[i] = decode(bodies[i]);
            bestDecode = Math.Min(bestDecode, clock.Elapsed.TotalSeconds);

            clock.Restart();
            for (int i = 0; i < episodes.Length; i++)
            {
                buffer.ResetWrittenCount();
                encode(buffer, episodes[i]);
                // The bytes must be the file's own, or the comparison is not of the same work.
                if (!buffer.WrittenSpan.SequenceEqual(bodies[i]))
                    throw new InvalidOperationException($"{name}: re-encoding episode {i} did not give the file's bytes");
            }
            bestEncode = Math.Min(bestEncode, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"{name}: {bodies.Count} episodes, {totalBytes / 1e6:0.0} MB; decode {totalBytes / 1e6 / bestDecode:0} MB/s, encode {totalBytes / 1e6 / bestEncode:0} MB/s (best of {repeats})");
    }

    private static List<byte[]> ReadBodies(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        List<byte[]> bodies = [];
        int position = 0;
        while (position + 30 <= file.Length)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position + 9));
            bodies.Add(file.AsSpan(position + 30, length).ToArray());
            position += 30 + length;
        }
        return bodies;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gym.sln")))
                return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private sealed class RandomTextAgent : Gym.Core.IAgent
    {
        public string Name => "random";

        public ValueTask<Gym.Core.AgentTurn> ActAsync(Gym.Core.AgentContext context, CancellationToken cancellationToken = default)
        {
            Gym.Core.SeededRandom random = context.AgentState as Gym.Core.SeededRandom ?? new Gym.Core.SeededRandom(context.SamplingSeed);
            context.AgentState = random;
            return new(Gym.Core.AgentTurn.FromText(random.Pick(context.Observation.AdmissibleActions)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
