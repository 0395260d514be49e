using System.Buffers.Binary;
using System.Text;
using Gym.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

[TestFixture]
public sealed class SafetensorsTests
{
    [Test]
    public void EveryDtypeRoundTripsAndTheLayoutFollowsTheSpecification()
    {
        string path = Path.Combine(TestPaths.TempDirectory(), "t.safetensors");
        using DisposeScope scope = NewDisposeScope();
        Tensor f32 = tensor(new float[] { 1.5f, -2, 3, 4 }, [2, 2]);
        (string, Tensor)[] tensors =
        [
            ("f32", f32), ("bf16", f32.to(ScalarType.BFloat16)), ("f16", f32.to(ScalarType.Float16)), ("f64", f32.to(ScalarType.Float64)),
            ("i64", tensor(new long[] { 1, -2, 3 })), ("i32", tensor(new[] { 7 })), ("u8", tensor(new byte[] { 255, 0 })),
            ("bool", tensor(new[] { true, false, true })), ("scalar", tensor(2.5f)), ("empty", zeros(0, 3)),
            ("transposed", f32.t()),
        ];
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        byte[] file = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.That(headerLength % 8, Is.EqualTo(0UL), "the header is padded to 8 bytes");
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.That(header, Does.Contain("\"bf16\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":["));
        Assert.That(header, Does.Contain("\"__metadata__\":{\"format\":\"pt\"}"));

        Dictionary<string, Tensor> loaded = Safetensors.Load(path);
        foreach ((string name, Tensor t) in tensors)
        {
            Assert.That(loaded[name].dtype, Is.EqualTo(t.dtype), name);
            Assert.That(loaded[name].shape, Is.EqualTo(t.shape), name);
            Assert.That(loaded[name].ToArray<double>(), Is.EqualTo(t.ToArray<double>()), name);
            loaded[name].Dispose();
        }
    }

    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 12, "needs 8 bytes")]
    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "outside")]
    [TestCase("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 8, "unsupported dtype")]
    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 8, "overlap")]
    [TestCase("{not json", 8, "not valid JSON")]
    public void MalformedFilesAreRejectedWithTheReason(string header, int dataBytes, string reason)
    {
        string path = Path.Combine(TestPaths.TempDirectory(), "bad.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.That(e!.Message, Does.Contain(reason));

        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        File.WriteAllBytes(path, file);
        Assert.That(Assert.Throws<InvalidDataException>(() => Safetensors.Load(path))!.Message, Does.Contain("header length"));
    }
}
