using System;
using Btw.Demo.Data;
using Btw.Demo.Training;
using TorchSharp;
namespace Btw.Demo;
internal static class Program { private static int Main(string[] args) {
 torch.set_num_threads(int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture));
 var paths = DemoPaths.Discover();
 var split = DatasetCatalog.Load(args[1], paths);
 Console.WriteLine(split.Description);
 var r = Trainer.Run(split, new RunSettings { Dataset = args[1], Mode = Enum.Parse<BtwWeighting>(args[2]), Seed = 1, Epochs = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) }, (s, e) => Console.WriteLine($"{e.Epoch} {e.TrainLoss:F4} {string.Join(",", e.Validation.Values)} w={string.Join(",", e.MeanWeights)} mi={string.Join(",", e.MutualInformation)} t={e.Seconds:F2}"));
 Console.WriteLine($"best {r.BestEpoch} test {string.Join(",", r.Test.Values)} {r.Seconds:F2}s");
 return 0; } }
