// Benchmarks of Pli on real Kestrel; their figures and commands are in bench/README.md.
//   dotnet run -c Release --no-build -- [MiB]                          the DCE download as a streamed zip
//   dotnet run -c Release --no-build -- portal [--consultations N] …   portal search latency and list throughput on PostgreSQL
//   dotnet run -c Release --no-build -- fanout [N]                     a deadline moved, its notices to N downloaders, sent to an SMTP sink
//   dotnet run -c Release --no-build -- upload-host [--drafts N] …     Pli's tus deposit endpoint, for shared/bench
//   dotnet run -c Release --no-build -- surge [--companies N] …        the deadline surge (bench/surge.sh)
return args switch
{
    ["upload-host", .. var options] => await UploadHost.RunAsync(options),
    ["surge", .. var options] => await Surge.RunAsync(options),
    ["portal", .. var options] => await PortalBench.RunAsync(options),
    ["fanout", .. var options] => await FanoutBench.RunAsync(options),
    _ => await DceDownload.RunAsync(args),
};
