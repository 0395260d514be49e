using Gym.Bench;

// Benchmarks whose peers run beside them (see bench/README.md). Usage: Gym.Bench runner|msgpack-write|msgpack [args]
return args.FirstOrDefault() switch
{
    "runner" => await RunnerBenchmark.RunAsync(args[1..]),
    "msgpack-write" => MessagePackBenchmark.WriteData(args[1..]),
    "msgpack" => MessagePackBenchmark.Run(args[1..]),
    "model-train" => ModelBenchmark.Train(args[1..]),
    "advantages" => AdvantageBenchmark.Run(args[1..]),
    "model-generate" => ModelBenchmark.Generate(args[1..]),
    "update-rows" => await UpdateBenchmark.WriteRowsAsync(args[1..]),
    "update" => UpdateBenchmark.Run(args[1..]),
    "sandbox" => await SandboxBenchmark.RunAsync(args[1..]),
    "tools" => await ToolBenchmark.RunAsync(args[1..]),
    "web" => await WebBenchmark.RunAsync(args[1..]),
    "gui" => await GuiBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Gym.Bench runner [episodes] [steps] | msgpack-write FILE [episodes] | msgpack FILE [repeats] | model-train [threads] [iterations] | model-generate [threads] | update-rows DIR | update DIR [threads] [repeats] [plain] | advantages [rows] | sandbox [runs] | tools [episodes] | web [runs] [seconds] | gui [runs] [seconds]");
    return 2;
}
