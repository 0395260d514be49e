using System.Text.Json;
using Gym.Core.Trajectories;
using Gym.Testing;

namespace Gym.Core.Tests.Trajectories;

[TestFixture]
public sealed class TrajectoryStoreTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(int count)
    {
        string path = Path.Combine(_dir, "t.msgpack");
        using TrajectoryWriter writer = TrajectoryWriter.Open(path);
        for (int i = 0; i < count; i++)
            writer.Append(SampleEpisodes.Make(i));
        return path;
    }

    [Test]
    public void EpisodesRoundTripWithEveryField()
    {
        string path = WriteFile(5);
        TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
        Assert.That(read.Issues, Is.Empty);
        Assert.That(read.Episodes, Has.Count.EqualTo(5));
        for (int i = 0; i < 5; i++)
            SampleEpisodes.AssertSame(read.Episodes[i], SampleEpisodes.Make(i));
        Assert.That(read.Episodes[0].Steps[2].Info.Extras["exit_code"], Is.EqualTo(3L));
    }

    [Test]
    public void AFileWrittenByGymsOwnCodecReadsBackAndRewritesByteForByte()
    {
        // Written by Gym's hand-written MessagePack codec, before MessagePack-CSharp took over: files from then
        // must read back the same, and today's writer must produce the very same bytes.
        string fixture = Path.Combine(TestPaths.Root, "tests", "Gym.Core.Tests", "Trajectories", "Fixtures", "sample-episodes.msgpack");
        TrajectoryReadResult read = TrajectoryReader.ReadFile(fixture);
        Assert.That(read.Issues, Is.Empty);
        Assert.That(read.Episodes, Has.Count.EqualTo(4));
        for (int i = 0; i < 4; i++)
            SampleEpisodes.AssertSame(read.Episodes[i], SampleEpisodes.Make(i, steps: 3 + i));
        Assert.That(read.Episodes[2].Steps[2].Info.Extras["blocked"], Is.EqualTo(new object?[] { "http://x" }));

        string path = Path.Combine(_dir, "rewritten.msgpack");
        using (TrajectoryWriter writer = TrajectoryWriter.Open(path))
        {
            foreach (Episode episode in read.Episodes)
                writer.Append(episode);
        }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(File.ReadAllBytes(fixture)));
    }

    [Test]
    public void AppendingToAnExistingFileKeepsEarlierEpisodes()
    {
        string path = WriteFile(2);
        using (TrajectoryWriter writer = TrajectoryWriter.Open(path))
            writer.Append(SampleEpisodes.Make(7));
        Assert.That(TrajectoryReader.ReadFile(path).Episodes.Select(e => e.TaskId).ToArray(), Is.EqualTo(new[] { "task-0", "task-1", "task-7" }));
    }

    [Test]
    public void ATornFinalRecordIsReportedAndEveryCompleteRecordIsRead()
    {
        string path = WriteFile(3);
        byte[] full = File.ReadAllBytes(path);
        long lastStart = RecordStarts(full)[^1];
        // Cut the last record at many points, header included: a writer killed mid-append.
        for (long cut = lastStart + 1; cut < full.Length; cut += Math.Max(1, (full.Length - lastStart) / 40))
        {
            File.WriteAllBytes(path, full[..(int)cut]);
            TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
            Assert.That(read.Episodes, Has.Count.EqualTo(2), $"cut at {cut}");
            Assert.That(read.Issues, Has.Count.EqualTo(1), $"cut at {cut}");
            Assert.That(read.Issues[0].Kind, Is.EqualTo(TrajectoryIssueKind.TornTail), $"cut at {cut}");
            Assert.That(read.Issues[0].Offset, Is.EqualTo(lastStart));
        }
    }

    [Test]
    public void ACorruptRecordInTheMiddleIsSkippedAndTheRestIsRead()
    {
        string path = WriteFile(4);
        byte[] bytes = File.ReadAllBytes(path);
        List<long> starts = RecordStarts(bytes);
        bytes[(int)starts[1] + 100] ^= 0xff;              // body damage: checksum fails
        bytes[(int)starts[2] + 2] = 0x00;                 // header damage: not a record
        File.WriteAllBytes(path, bytes);
        TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
        Assert.That(read.Episodes.Select(e => e.TaskId).ToArray(), Is.EqualTo(new[] { "task-0", "task-3" }));
        // Record 1 fails its checksum; the scan for the next header skips record 2, whose header is damaged.
        Assert.That(read.Issues, Has.Count.EqualTo(1));
        Assert.That(read.Issues[0].Kind, Is.EqualTo(TrajectoryIssueKind.Corrupt));
        Assert.That(read.Issues[0].Offset, Is.EqualTo(starts[1]));
        Assert.That(read.Issues[0].Message, Does.Contain("checksum").And.Contain($"skipped {starts[3] - starts[1]} bytes"));
    }

    [Test]
    public void RecordsWithIntactChecksumsThatDoNotDecodeAreSkippedWithTheReason()
    {
        byte[] episode = File.ReadAllBytes(WriteFile(1))[TrajectoryFrame.HeaderSize..];
        // A cut-off episode, a wrong type for a known field, and an unknown key nested far deeper than any stack.
        byte[] deep = [0x81, 0xa7, .. "unknown"u8, .. Enumerable.Repeat((byte)0x91, 200_000), 0xc0];
        byte[] wrongType = [0x81, 0xa4, .. "seed"u8, 0xa1, (byte)'x'];
        byte[][] bodies = [episode[..(episode.Length / 2)], wrongType, deep, episode];
        string path = Path.Combine(_dir, "undecodable.msgpack");
        using (FileStream file = File.Create(path))
        {
            foreach (byte[] body in bodies)
            {
                byte[] header = new byte[TrajectoryFrame.HeaderSize];
                TrajectoryFrame.WriteHeader(header, body.Length, Crc32.Compute(body));
                file.Write(header);
                file.Write(body);
            }
        }
        TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
        Assert.That(read.Episodes, Has.Count.EqualTo(1));
        SampleEpisodes.AssertSame(read.Episodes[0], SampleEpisodes.Make(0));
        Assert.That(read.Issues.Select(i => i.Kind), Is.EqualTo(new[] { TrajectoryIssueKind.Corrupt, TrajectoryIssueKind.Corrupt, TrajectoryIssueKind.Corrupt }));
        Assert.That(read.Issues, Has.All.Property(nameof(TrajectoryIssue.Message)).Contains("does not decode"));
        Assert.That(read.Issues[2].Message, Does.Contain("has no 'id' field"));
    }

    [Test]
    public void GarbageFilesYieldIssuesNotExceptions()
    {
        string path = Path.Combine(_dir, "garbage.msgpack");
        Random random = new(5);
        for (int i = 0; i < 50; i++)
        {
            byte[] junk = new byte[random.Next(0, 2000)];
            random.NextBytes(junk);
            File.WriteAllBytes(path, junk);
            TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
            Assert.That(read.Episodes, Is.Empty);
            Assert.That(read.Issues.Count, Is.EqualTo(junk.Length == 0 ? 0 : 1));
        }
    }

    [Test, CancelAfter(60_000)]
    public void PythonMsgpackReadsTheFileAsAStreamOfDicts()
    {
        string path = WriteFile(3);
        string script = Path.Combine(TestPaths.Interop, "read_trajectories.py");
        (int code, string output, string error) = ProcessRunner.Run("/usr/bin/python3", [script, path], TestPaths.Interop);
        Assert.That(code, Is.EqualTo(0), error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement[] records = [.. doc.RootElement.EnumerateArray()];
        Assert.That(records, Has.Length.EqualTo(3));
        for (int i = 0; i < 3; i++)
        {
            Episode expected = SampleEpisodes.Make(i);
            Assert.That(records[i].GetProperty("task_id").GetString(), Is.EqualTo(expected.TaskId));
            Assert.That(records[i].GetProperty("steps").GetInt32(), Is.EqualTo(expected.Steps.Count));
            Assert.That(records[i].GetProperty("crc_ok").GetBoolean(), Is.True, "zlib.crc32 of the episode bytes matches the frame");
            Assert.That(records[i].GetProperty("first_action").GetString(), Is.EqualTo("up"));
            Assert.That(records[i].GetProperty("success").GetBoolean(), Is.True);
        }
    }

    [Test]
    public void JsonlExportHasOpenAiMessages()
    {
        using MemoryStream output = new();
        JsonlExporter.Write([SampleEpisodes.Make(0), SampleEpisodes.Make(1)], output, systemPrompt: "be brief");
        string[] lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2));
        using JsonDocument line = JsonDocument.Parse(lines[0]);
        JsonElement[] messages = [.. line.RootElement.GetProperty("messages").EnumerateArray()];
        Assert.That(messages.Select(m => m.GetProperty("role").GetString()), Is.EqualTo(new[] { "system", "user", "assistant", "user", "assistant", "user", "assistant" }));
        Assert.That(messages[1].GetProperty("content").GetString(), Does.StartWith("do the thing"));
        Assert.That(messages[2].GetProperty("content").GetString(), Is.EqualTo("up"));
        Assert.That(line.RootElement.GetProperty("metadata").GetProperty("success").GetBoolean(), Is.True);
    }

    private static List<long> RecordStarts(byte[] bytes)
    {
        List<long> starts = [];
        for (int i = 0; i + 9 <= bytes.Length; i++)
        {
            if (bytes.AsSpan(i, 9).SequenceEqual(new byte[] { 0x84, 0xa1, (byte)'v', 1, 0xa3, (byte)'l', (byte)'e', (byte)'n', 0xce }))
                starts.Add(i);
        }
        return starts;
    }
}
