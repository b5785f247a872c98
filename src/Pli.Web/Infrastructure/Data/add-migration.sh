#!/usr/bin/env bash
# Adds a migration named $1 for every database provider: each has its own DDL and its own folder.
# Usage (from anywhere): src/Pli.Web/Infrastructure/Data/add-migration.sh AddSomething
set -euo pipefail
name=${1:?usage: add-migration.sh MigrationName}
cd "$(dirname "$0")/../.."
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-ef >/dev/null || dotnet tool install --global dotnet-ef --version 10.0.15
dotnet ef migrations add "$name" --context SqlitePliDbContext --output-dir Infrastructure/Data/Migrations/Sqlite
dotnet ef migrations add "$name" --context PostgresPliDbContext --output-dir Infrastructure/Data/Migrations/Postgres --no-build
