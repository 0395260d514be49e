using System.Diagnostics;
using Gym.Envs.Gui.Accessibility;

namespace Gym.Envs.Gui.Tests;

/// <summary>The D-Bus wire format, and the client against a real dbus-daemon.</summary>
[TestFixture]
public sealed class DBusTests
{
    [Test]
    public void ValuesReadBackAsTheyWereWritten()
    {
        DBusWriter w = new();
        w.Write("y", (byte)7);
        w.Write("s", "héllo");
        w.Write("a(so)", new List<object> { new object[] { ":1.4", "/a/b" }, new object[] { ":1.5", "/c" } });
        w.Write("v", new DBusVariant("(iiii)", new object[] { -3, 4, 640, 480 }));
        w.Write("au", new List<object> { 1u, 1u << 25 });
        object[] back = new DBusReader(w.ToArray(), littleEndian: true).ReadAll("ysa(so)vau");
        Assert.That(back[0], Is.EqualTo((byte)7));
        Assert.That(back[1], Is.EqualTo("héllo"));
        Assert.That(((List<object>)back[2]).Cast<object[]>().Select(r => $"{r[0]} {r[1]}"), Is.EqualTo(new[] { ":1.4 /a/b", ":1.5 /c" }));
        Assert.That((object[])back[3], Is.EqualTo(new object[] { -3, 4, 640, 480 }));
        Assert.That((List<object>)back[4], Is.EqualTo(new object[] { 1u, 1u << 25 }));
    }

    [Test]
    public void AlignmentPadsFromTheMessageStart()
    {
        DBusWriter w = new();
        w.Write("y", (byte)1);
        w.Write("(yi)", new object[] { (byte)2, 9 });
        // The struct starts at 8, its int at 12: 16 bytes in all.
        Assert.That(w.Length, Is.EqualTo(16));
        Assert.That(new DBusReader(w.ToArray(), true).ReadAll("y(yi)")[1], Is.EqualTo(new object[] { (byte)2, 9 }));
    }

    [TestCase("a", "ends inside a type")]
    [TestCase("(ii", "an unclosed '('")]
    [TestCase("z", "unknown type code 'z'")]
    public void BadSignaturesSayWhatIsWrong(string signature, string message) =>
        Assert.That(() => DBusWire.TypeEnd(signature, 0), Throws.InstanceOf<FormatException>().With.Message.Contains(message));

    [Test]
    public void ATruncatedMessageIsAFormatError() =>
        Assert.That(() => new DBusReader([5, 0, 0, 0, (byte)'a'], true).Read("s"), Throws.InstanceOf<FormatException>().With.Message.Contains("bytes wanted"));

    [Test, CancelAfter(20_000)]
    public void BatchedCallsGetTheirOwnRepliesAndErrors()
    {
        using Process daemon = Process.Start(new ProcessStartInfo("dbus-daemon", ["--session", "--nofork", "--print-address=1", "--address=unix:tmpdir=/tmp"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            string address = daemon.StandardOutput.ReadLine()!;
            using DBusConnection bus = DBusConnection.Open(address, TimeSpan.FromSeconds(5));
            Assert.That(bus.UniqueName, Does.StartWith(":1."));
            const string Dbus = "org.freedesktop.DBus";
            DBusReply?[] replies = bus.CallAll(
            [
                new DBusCall(Dbus, "/org/freedesktop/DBus", Dbus, "NameHasOwner", "s", bus.UniqueName),
                new DBusCall(Dbus, "/org/freedesktop/DBus", Dbus, "NoSuchMethod"),
                new DBusCall(Dbus, "/org/freedesktop/DBus", Dbus, "NameHasOwner", "s", "org.example.Nobody"),
                new DBusCall(Dbus, "/org/freedesktop/DBus", Dbus, "ListNames"),
            ], TimeSpan.FromSeconds(5));
            Assert.That(replies[0]!.Body, Is.EqualTo(new object[] { true }));
            Assert.That(replies[1]!.Error, Does.StartWith("org.freedesktop.DBus.Error.UnknownMethod"));
            Assert.That(replies[2]!.Body, Is.EqualTo(new object[] { false }));
            Assert.That((List<object>)replies[3]!.Body[0], Does.Contain(bus.UniqueName));
        }
        finally
        {
            daemon.Kill();
        }
    }

    [Test]
    public void AnAddressThatIsNotAUnixSocketIsRefused() =>
        Assert.That(() => DBusConnection.Open("tcp:host=localhost,port=1", TimeSpan.FromSeconds(1)), Throws.ArgumentException.With.Message.Contains("not a unix:path= or unix:abstract= address"));
}
