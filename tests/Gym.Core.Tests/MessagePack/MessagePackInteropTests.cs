using System.Text.Json;
using Gym.Testing;

namespace Gym.Core.Tests.MessagePack;

/// <summary>Gym's codec against an independent implementation (@msgpack/msgpack under node), both directions.</summary>
[TestFixture]
public sealed class MessagePackInteropTests
{
    [Test, CancelAfter(180_000)]
    public void GymAndMsgpackJsAgreeOnEveryCorpusEntry()
    {
        IReadOnlyList<MessagePackCorpus.Entry> corpus = MessagePackCorpus.Load();
        string dir = TestPaths.TempDirectory();
        string gymPath = Path.Combine(dir, "gym.json"), outPath = Path.Combine(dir, "node.json");
        var gymEntries = corpus.Select(e => new { name = e.Name, hex = Convert.ToHexStringLower(e.RawBytes ?? MessagePackCorpus.Encode(e.Value)) }).ToList();
        File.WriteAllText(gymPath, JsonSerializer.Serialize(new { entries = gymEntries }));

        (int code, string output, string error) = ProcessRunner.Run("node", ["msgpack-interop.mjs", MessagePackCorpus.Path, gymPath, outPath], TestPaths.Interop);
        Assert.That(code, Is.EqualTo(0), $"node failed: {output}\n{error}");

        using JsonDocument node = JsonDocument.Parse(File.ReadAllText(outPath));
        Dictionary<string, JsonElement> results = node.RootElement.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        List<string> failures = [];
        foreach (MessagePackCorpus.Entry entry in corpus)
        {
            JsonElement r = results[entry.Name];
            // node read what Gym wrote
            if (!r.GetProperty("decodedOk").GetBoolean())
                failures.Add($"{entry.Name}: @msgpack/msgpack could not read Gym's bytes: {r.GetProperty("error")}");
            // Gym reads what node wrote
            byte[] nodeBytes = Convert.FromHexString(r.GetProperty("hex").GetString()!);
            object? decoded = MessagePackCorpus.Decode(nodeBytes);
            if (!MessagePackCorpus.Same(decoded, entry.Value))
                failures.Add($"{entry.Name}: Gym decoded node's bytes to a different value");
            // Canonical encodings are byte-for-byte equal.
            if (entry.RawBytes is null && !nodeBytes.AsSpan().SequenceEqual(MessagePackCorpus.Encode(entry.Value)))
                failures.Add($"{entry.Name}: encodings differ: gym {Convert.ToHexStringLower(MessagePackCorpus.Encode(entry.Value))[..Math.Min(40, nodeBytes.Length * 2)]}... node {r.GetProperty("hex").GetString()![..Math.Min(40, nodeBytes.Length * 2)]}...");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(corpus.Count, Is.GreaterThan(80), "the corpus covers every type and width boundary");
    }
}
