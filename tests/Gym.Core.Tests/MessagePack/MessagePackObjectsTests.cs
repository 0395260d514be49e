using System.Buffers;
using Gym.Core.MessagePack;
using MessagePack;

namespace Gym.Core.Tests.MessagePack;

/// <summary>
/// Free-form values through MessagePack-CSharp: the guarantees Gym relies on when it reads data it did not write
/// (exact formats, truncation and corruption as errors, no huge allocation, no stack overflow).
/// </summary>
[TestFixture]
public sealed class MessagePackObjectsTests
{
    [TestCase(0L, "00")]
    [TestCase(127L, "7f")]
    [TestCase(128L, "cc80")]
    [TestCase(-1L, "ff")]
    [TestCase(-32L, "e0")]
    [TestCase(-33L, "d0df")]
    [TestCase(65536L, "ce00010000")]
    [TestCase(long.MinValue, "d38000000000000000")]
    public void IntegersUseTheSmallestFormat(long value, string hex) =>
        Assert.That(Convert.ToHexStringLower(MessagePackCorpus.Encode(value)), Is.EqualTo(hex));

    [Test]
    public void EveryCorpusValueRoundTrips()
    {
        foreach (MessagePackCorpus.Entry entry in MessagePackCorpus.Load())
        {
            byte[] bytes = entry.RawBytes ?? MessagePackCorpus.Encode(entry.Value);
            Assert.That(MessagePackCorpus.Same(MessagePackCorpus.Decode(bytes), entry.Value), Is.True, entry.Name);
        }
    }

    [Test]
    public void MultiSegmentInputReadsLikeContiguousInput()
    {
        object? value = new object?[] { "héllo wörld, a string long enough to cross segments", 1.5, new byte[300], (long)-70000, new MessagePackTimestamp(5, 7) };
        byte[] bytes = MessagePackCorpus.Encode(value);
        ReadOnlySequence<byte> sequence = Segmented(bytes, 3);
        MessagePackReader reader = new(sequence);
        Assert.That(MessagePackCorpus.Same(MessagePackObjects.Read(ref reader), value), Is.True);
        Assert.That(reader.End, Is.True);
    }

    [Test]
    public void EveryTruncationIsAnError()
    {
        byte[] bytes = MessagePackCorpus.Encode(new object?[] { "text", 1.25, (long)1 << 40, new byte[] { 1, 2, 3 }, new MessagePackExtension(3, [1, 2]), new MessagePackMap { new("k", null) } });
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            MessagePackSerializationException? e = Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(bytes[..cut]), $"cut at {cut}");
            Assert.That(e!.Message, Does.Contain($"at byte"), $"cut at {cut}");
        }
    }

    [Test]
    public void HugeDeclaredLengthsFailFastWithoutAllocating()
    {
        foreach (string hex in new[] { "dbffffffff", "c6ffffffff", "ddffffffff", "dfffffffff", "c9ffffffff01", "da7fff41" })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(Convert.FromHexString(hex)), hex);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(64 * 1024), hex);
        }
    }

    [Test]
    public void DeepNestingIsRejectedNotAStackOverflow()
    {
        byte[] deep = Enumerable.Repeat((byte)0x91, 100_000).Append((byte)0xc0).ToArray();
        MessagePackSerializationException? e = Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(deep));
        Assert.That(e!.Message, Does.Contain("Nesting deeper than"));
        MessagePackReader reader = new(deep);
        MessagePackObjects.Skip(ref reader);
        Assert.That(reader.End, Is.True, "Skip walks any depth iteratively");
    }

    [Test]
    public void RandomBytesNeverCrashTheReader()
    {
        Random random = new(1234);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = new byte[random.Next(1, 40)];
            random.NextBytes(bytes);
            try
            {
                MessagePackCorpus.Decode(bytes);
                decoded++;
            }
            catch (MessagePackSerializationException)
            {
            }
            catch (InvalidDataException)
            {
                // trailing bytes after a complete value
            }
        }
        Assert.That(decoded, Is.GreaterThan(0), "some random inputs are valid values");
    }

    [Test]
    public void InvalidUtf8AndNeverUsedCodeAreFormatErrors()
    {
        Assert.That(Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(Convert.FromHexString("a2c328")))!.Message, Does.Contain("not valid UTF-8"));
        MessagePackSerializationException? e = Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(Convert.FromHexString("92c0c1")));
        Assert.That(e!.Message, Does.Contain("0xc1 (at byte 2)"));
    }

    [Test]
    public void TimestampsPickTheirFormatAndRejectBadNanoseconds()
    {
        Assert.That(Convert.ToHexStringLower(MessagePackCorpus.Encode(new MessagePackTimestamp(1, 0))), Is.EqualTo("d6ff00000001"));
        Assert.That(MessagePackCorpus.Encode(new MessagePackTimestamp(1, 1)).Length, Is.EqualTo(10));
        Assert.That(MessagePackCorpus.Encode(new MessagePackTimestamp(-1, 0)).Length, Is.EqualTo(15));
        // timestamp64 with nanoseconds = 2^30 - 1 (> 999,999,999)
        Assert.Throws<MessagePackSerializationException>(() => MessagePackCorpus.Decode(Convert.FromHexString("d7ffffffffff00000000")));
        DateTimeOffset when = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);
        Assert.That(MessagePackTimestamp.FromDateTimeOffset(when.AddTicks(7)).ToDateTimeOffset(), Is.EqualTo(when.AddTicks(7)));
        Assert.That(MessagePackTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddTicks(-3)), Is.EqualTo(new MessagePackTimestamp(-1, 999_999_700)));
    }

    [Test]
    public void TypedReadsRejectOtherTypes()
    {
        byte[] bytes = MessagePackCorpus.Encode("text");
        Assert.Throws<MessagePackSerializationException>(() =>
        {
            MessagePackReader reader = new(bytes);
            reader.ReadInt64();
        });
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment first = new(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        Segment last = first;
        for (int i = size; i < bytes.Length; i += size)
            last = last.Append(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            Segment next = new(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
