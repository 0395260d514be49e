using System.CommandLine;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Serving;

namespace Gym.Cli.Commands;

/// <summary><c>gym serve --checkpoint DIR [--port N] [--host IP] [--name NAME] [--max-batch N] [--device D]</c>: a checkpoint over the OpenAI-compatible API.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        Option<string> checkpointOption = new("--checkpoint") { Description = "A checkpoint directory (config.json + model.safetensors).", Required = true };
        Option<string> hostOption = new("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        Option<int> portOption = new("--port") { Description = "The port (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        Option<string?> nameOption = new("--name") { Description = "The model id clients ask for (default: the checkpoint directory's name)." };
        Option<int> batchOption = new("--max-batch") { Description = "Most sequences generated in one batch.", DefaultValueFactory = _ => 32 };
        Option<string?> deviceOption = DeviceOption.Create();
        Command command = new("serve", "Serve a checkpoint over the OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/completions).")
        {
            checkpointOption, hostOption, portOption, nameOption, batchOption, deviceOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string directory = Path.GetFullPath(parse.GetValue(checkpointOption)!);
            if (!CheckpointWeights.Exists(directory))
                throw new ArgumentException($"'{directory}' is not a checkpoint directory (it needs config.json and model.safetensors, or another Hugging Face weights layout).");
            int batch = parse.GetValue(batchOption);
            if (batch < 1)
                throw new ArgumentException($"--max-batch must be at least 1 (got {batch}).");
            string name = parse.GetValue(nameOption) ?? Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
            using CausalLanguageModel model = CausalLanguageModel.Load(directory, device: TorchDevices.Parse(parse.GetValue(deviceOption) ?? "cpu"));
            ServerOptions options = new() { Host = parse.GetValue(hostOption)!, Port = parse.GetValue(portOption), MaxBatchSize = batch, Loggers = GymHome.Loggers };
            await using OpenAiServer server = await OpenAiServer.StartAsync(new ServedModel(name, model, new ByteTokenizer()), options, cancellationToken).ConfigureAwait(false);
            // One line that scripts and tests read the address from.
            Console.WriteLine($"serving {name} on {server.BaseUrl}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: the way this command is meant to end.
            }
            (long sequences, long batches) = server.Counts;
            Console.WriteLine($"stopped: {sequences} sequences in {batches} batches");
            return 0;
        });
        return command;
    }
}
