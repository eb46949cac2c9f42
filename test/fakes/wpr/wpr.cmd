@echo off
node "%~dp0wpr.mjs" %*
