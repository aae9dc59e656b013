#!/bin/sh
# Regenerates the test images of policy/imagemeta (tests/unit/policy/test_imagemeta.c):
# plain.* are metadata-free images written by gen.py; meta.* are the same images with EXIF
# (incl. GPS), XMP, IPTC, comments and PNG text/time chunks added by exiftool (Debian
# libimage-exiftool-perl). The results are committed; rerun only to change them.
set -eu
cd "$(dirname "$0")"
python3 gen.py .
tags="-GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E
      -Artist=Jane_Doe -Make=ACME -Model=PhoneCam -SerialNumber=SN-0042 -DateTimeOriginal=2024:05:01_12:00:00
      -XMP-dc:Creator=Jane_Doe -XMP-dc:Description=12_Elm_St"
rm -f meta.jpg meta.png meta.webp meta_alpha.webp
# shellcheck disable=SC2086
exiftool -q -o meta.jpg $tags -Comment=Jane_Doe_at_home -IPTC:By-line=Jane_Doe -IPTC:City=Springfield plain.jpg
# shellcheck disable=SC2086
exiftool -q -o meta.png $tags -PNG:Comment=Jane_Doe_at_home -PNG:Author=Jane_Doe -PNG:ModifyDate=2024:05:01_12:00:00 plain.png
# exiftool 12.57 cannot write WebP: gen.py adds the EXIF and XMP blocks that exiftool put into meta.jpg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exiftool -b -EXIF meta.jpg >"$tmp/exif.bin"
exiftool -b -XMP meta.jpg >"$tmp/xmp.bin"
python3 gen.py webp-meta plain.webp meta.webp "$tmp/exif.bin" "$tmp/xmp.bin"
python3 gen.py webp-meta plain_alpha.webp meta_alpha.webp "$tmp/exif.bin" "$tmp/xmp.bin"
ls -l plain.* plain_alpha.webp meta.* meta_alpha.webp
