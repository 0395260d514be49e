using System.Formats.Tar;
using System.Text;
using Docker.DotNet.Models;

namespace Gym.Docker.Tests;

/// <summary>The Engine API client against the real daemon.</summary>
[TestFixture]
public sealed class DockerClientTests
{
    private static DockerClient Docker => DaemonFixture.Docker;

    [Test]
    public async Task PingVersionAndImagesAsync()
    {
        Assert.That(await Docker.PingAsync(), Is.True);
        Assert.That(Docker.DaemonVersion.APIVersion, Is.Not.Empty);
        IList<ImagesListResponse> images = await Docker.ListImagesAsync("gym.image");
        Assert.That(images.SelectMany(i => i.RepoTags ?? []), Does.Contain(DaemonFixture.ImageTag));
        await Assert.ThrowsAsync<DockerNotFoundException>(() => Docker.InspectImageAsync("gym-no-such-image:0"));
    }

    [Test]
    public async Task ImportInspectAndRemoveAnImageAsync()
    {
        using MemoryStream tar = new();
        await using (TarWriter writer = new(tar, leaveOpen: true))
        {
            PaxTarEntry file = new(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("hi")) };
            await writer.WriteEntryAsync(file);
        }
        tar.Position = 0;
        string tag = $"t{Guid.NewGuid():N}"[..12];
        string id = await Docker.ImportImageAsync(tar, "gym-test-import", tag, ["LABEL gym.test=1"]);
        Assert.That(id, Does.StartWith("sha256:"));
        ImageInspectResponse image = await Docker.InspectImageAsync($"gym-test-import:{tag}");
        Assert.That(image.ID, Is.EqualTo(id));
        await Docker.RemoveImageAsync($"gym-test-import:{tag}");
        Assert.That(await Docker.ImageExistsAsync($"gym-test-import:{tag}"), Is.False);
    }

    [Test, CancelAfter(60_000)]
    public async Task ContainerLifecycleExecLogsAndArchivesAsync()
    {
        string name = $"gym-test-{Guid.NewGuid():N}"[..24];
        string id = await Docker.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = DaemonFixture.ImageTag,
            Cmd = ["sh", "-c", "echo started; echo oops >&2; sleep 30"],
            Labels = new Dictionary<string, string> { ["gym.test"] = name },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await Assert.ThrowsAsync<DockerConflictException>(() => Docker.CreateContainerAsync(new CreateContainerParameters { Name = name, Image = DaemonFixture.ImageTag, Cmd = ["true"] }));
            await Docker.StartContainerAsync(id);
            Assert.That((await Docker.InspectContainerAsync(id)).State?.Running, Is.True);
            Assert.That((await Docker.ListContainersAsync($"gym.test={name}")).Select(c => c.ID), Is.EqualTo(new[] { id }));

            ExecResult echo = await Docker.ExecAsync(id, new ContainerExecCreateParameters { Cmd = ["sh", "-c", "printf out; printf err >&2; exit 3"] });
            Assert.That((echo.ExitCode, echo.Stdout.ToString(), echo.Stderr.ToString()), Is.EqualTo(((int?)3, "out", "err")));
            ExecResult cat = await Docker.ExecAsync(id, new ContainerExecCreateParameters { Cmd = ["sh", "-c", "tr a-z A-Z"] }, new MemoryStream(Encoding.UTF8.GetBytes("through stdin")));
            Assert.That(cat.Stdout.ToString(), Is.EqualTo("THROUGH STDIN"));

            // Archives: put a file, read it back.
            using MemoryStream tar = new();
            await using (TarWriter writer = new(tar, leaveOpen: true))
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "note.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("archived")) });
            tar.Position = 0;
            await Docker.PutArchiveAsync(id, "/tmp", tar);
            byte[] back = await Docker.GetArchiveAsync(id, "/tmp/note.txt");
            await using TarReader reader = new(new MemoryStream(back));
            TarEntry entry = (await reader.GetNextEntryAsync())!;
            Assert.That(entry.Name, Is.EqualTo("note.txt"));
            Assert.That(new StreamReader(entry.DataStream!).ReadToEnd(), Is.EqualTo("archived"));

            (CappedOutput stdout, CappedOutput stderr) = await Docker.ContainerLogsAsync(id);
            Assert.That((stdout.ToString(), stderr.ToString()), Is.EqualTo(("started\n", "oops\n")));

            await Docker.KillContainerAsync(id);
            Assert.That(await Docker.WaitContainerAsync(id), Is.EqualTo(137));
        }
        finally
        {
            await Docker.RemoveContainerAsync(id);
        }
        await Assert.ThrowsAsync<DockerNotFoundException>(() => Docker.InspectContainerAsync(id));
    }

    [Test]
    public void CappedOutputKeepsHeadAndTail()
    {
        CappedOutput output = new(10);
        output.Write(Encoding.ASCII.GetBytes("0123456789abcdefghij"));
        Assert.That(output.Truncated, Is.True);
        Assert.That(output.ToString(), Is.EqualTo("01234\n[... 10 bytes of output omitted ...]\nfghij"));
        CappedOutput small = new(10);
        small.Write(Encoding.ASCII.GetBytes("abc"));
        small.Write(Encoding.ASCII.GetBytes("defg"));
        Assert.That((small.Truncated, small.ToString()), Is.EqualTo((false, "abcdefg")));
    }

    [Test]
    public void EndpointsParse()
    {
        Assert.That(DockerClient.ParseEndpoint(null), Is.EqualTo(new Uri("unix:///var/run/docker.sock")));
        Assert.That(DockerClient.ParseEndpoint("unix:///run/d.sock").AbsolutePath, Is.EqualTo("/run/d.sock"));
        Uri tcp = DockerClient.ParseEndpoint("tcp://127.0.0.1:2375");
        Assert.That((tcp.Host, tcp.Port), Is.EqualTo(("127.0.0.1", 2375)));
        Assert.That(Assert.Throws<ArgumentException>(() => DockerClient.ParseEndpoint("ssh://host"))!.Message, Does.Contain("ssh://host"));
    }

    [Test]
    public async Task AnAbsentDaemonIsReportedAsSuchAsync()
    {
        DockerUnavailableException e = (await Assert.ThrowsAsync<DockerUnavailableException>(() => DockerClient.ConnectAsync(DockerClient.ParseEndpoint("unix:///nonexistent/docker.sock"))))!;
        Assert.That(e.Message, Does.Contain("/nonexistent/docker.sock"));
    }
}
