// Debian libpcap-dev: reading pcap and pcapng files, and live capture to a file.
#include <pcap/pcap.h>
